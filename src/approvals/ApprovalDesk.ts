import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/AuditAction.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { errorMessage, errorName } from '../_internal/text.js';
import type { ApprovalInfo, ApprovalOptions, ApprovalRequest } from '../decisions/ApprovalRequest.js';
import type { GateAnswer, Hold } from '../pipeline/ApprovalGate.js';
import { Approvals, type ApprovalsDeps } from './Approvals.js';
import { approvalEvent } from './approvalEvent.js';
import { askHandler } from './askHandler.js';
import { approvalDigest } from './digest.js';

/** Who resolves a request when the handler failed to (threw, timed out, answered garbage). */
export const SYSTEM_APPROVER = 'toolwarden';

/**
 * The Warden's side of approvals: opens, consumes and checks requests for held calls (the pipeline's gate), answers
 * previews without touching anything, and runs the blocking handler.
 */
export class ApprovalDesk {
	readonly approvals: Approvals;
	readonly #deps: ApprovalsDeps;
	readonly #options: ApprovalOptions;

	constructor(deps: ApprovalsDeps, options: ApprovalOptions) {
		this.#deps = deps;
		this.#options = options;
		this.approvals = new Approvals(deps);
	}

	/** Whether `run` waits for a handler (blocking form) instead of throwing `ApprovalRequired`. */
	get blocking(): boolean {
		return this.#options.handler !== undefined;
	}

	/** The pipeline's gate: the held call's request is found (and a grant consumed) or opened. */
	readonly gate = async (call: ToolEnvelope, hold: Hold): Promise<GateAnswer> => {
		const store = this.#deps.store;
		if (store === undefined)
			return {
				kind: 'denied',
				reason: `${hold.message} (This Warden's storage cannot hold approval requests, so the call cannot wait.)`,
			};
		const now = Date.now();
		const claim = await store.claimApproval(this.#fresh(call, hold, now), now);
		const { request } = claim;
		switch (claim.outcome) {
			case 'granted':
				return { kind: 'granted', approvalId: request.id };
			case 'denied':
				return { kind: 'denied', approvalId: request.id, reason: deniedReason(request) };
			case 'expired':
				this.#emit(AuditAction.APPROVAL_EXPIRED, request);
				return {
					kind: 'denied',
					approvalId: request.id,
					reason: `The approval request for this call expired (${request.id}). Calling again asks for approval again.`,
				};
			case 'pending':
				return { kind: 'held', approval: info(request) };
		}
	};

	/** The preview's gate: reads the request of the call's digest, changes nothing. */
	readonly peek = async (call: ToolEnvelope, hold: Hold): Promise<GateAnswer> => {
		const digest = approvalDigest(call);
		const found = this.#deps.store === undefined ? undefined : await this.#deps.store.peekApproval(digest, Date.now());
		if (found?.status === 'approved') return { kind: 'granted', approvalId: found.id };
		if (found?.status === 'denied') return { kind: 'denied', approvalId: found.id, reason: deniedReason(found) };
		return { kind: 'held', approval: found === undefined ? { digest, message: hold.message } : info(found) };
	};

	/**
	 * The blocking form: asks the handler about a pending request and records its answer. A handler that throws,
	 * times out, answers garbage or may not resolve the request (the call's own principal, not on `approvers`) denies
	 * it, recorded with approver `toolwarden` and the reason. If someone resolved the request meanwhile, their
	 * resolution stands. The caller then retries the call, which finds the resolution in the store.
	 */
	async ask(id: string): Promise<void> {
		const handler = this.#options.handler;
		const request = await this.approvals.get(id);
		if (handler === undefined || request === undefined || request.status !== 'pending') return;
		const timeoutMs = this.#options.timeoutMs ?? Math.max(0, Date.parse(request.expiresAt) - Date.now());
		const answer = await askHandler(handler, request, timeoutMs);
		try {
			if (answer.ok) {
				const { approved, approver, reason } = answer.answer;
				if (approved) await this.approvals.approve(id, { approver });
				else await this.approvals.deny(id, { approver, reason: reason ?? `Denied by ${approver}.` });
				return;
			}
			await this.approvals.deny(id, { approver: SYSTEM_APPROVER, reason: answer.problem });
		} catch (error) {
			// A handler approving its own principal's call, or someone who may not: denied in its name.
			if (errorName(error) !== 'ConfigError') return; // already resolved by someone else: their answer stands
			const reason = `The approval handler's answer was refused: ${errorMessage(error)}`;
			await this.approvals.deny(id, { approver: SYSTEM_APPROVER, reason }).catch(() => undefined);
		}
	}

	#fresh(call: ToolEnvelope, hold: Hold, now: number): ApprovalRequest {
		const { redaction } = this.#deps;
		const parts = redaction.redactPaths({
			args: call.args,
			principal: call.principal,
			metadata: hold.options.metadata ?? {},
		});
		const userId = call.principal?.userId;
		return Object.freeze({
			id: randomUUID(),
			digest: approvalDigest(call),
			toolName: call.toolName,
			args: redaction.redact(parts.args),
			sessionId: call.sessionId,
			principal: call.principal === null ? null : redaction.redact(parts.principal),
			rule: hold.rule,
			message: hold.message,
			createdAt: new Date(now).toISOString(),
			expiresAt: new Date(now + hold.options.ttlMs).toISOString(),
			status: 'pending',
			callId: call.callId,
			sideEffect: call.sideEffect,
			environment: call.environment,
			...(hold.options.approvers === undefined ? {} : { approvers: hold.options.approvers }),
			...(hold.options.metadata === undefined
				? {}
				: { metadata: redaction.redact(parts.metadata) as Record<string, unknown> }),
			...(typeof userId === 'string' ? { requesterId: userId } : {}),
		});
	}

	#emit(action: typeof AuditAction.APPROVAL_EXPIRED, request: ApprovalRequest): void {
		this.#deps.emit(approvalEvent(this.#deps.redaction, this.#deps.mode, action, request));
	}
}

function info(request: ApprovalRequest): ApprovalInfo {
	return { id: request.id, digest: request.digest, message: request.message, expiresAt: request.expiresAt };
}

function deniedReason(request: ApprovalRequest): string {
	const why = (request.reason ?? 'no reason given').replace(/\.$/, '');
	if (request.approver === SYSTEM_APPROVER)
		return `This call was denied because its approval could not be obtained: ${why}. Ask the user how to proceed.`;
	const by = request.approver === undefined ? '' : ` (${request.approver})`;
	return `A person denied this call${by}: ${why}. Do not retry it; do something else or ask the user.`;
}
