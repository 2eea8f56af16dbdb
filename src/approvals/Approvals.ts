import { AuditAction } from '../audit/AuditAction.js';
import type { AuditEvent } from '../audit/AuditEvent.js';
import type { Mode } from '../decisions/Mode.js';
import { ApprovalConflictError } from '../errors/ApprovalConflictError.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { capMessage } from '../_internal/text.js';
import { checkKeys } from '../_internal/validate.js';
import type { ApprovalFilter, ApprovalRequest } from '../decisions/ApprovalRequest.js';
import type { ApprovalRead, ApprovalResolution, ApprovalStore } from '../storage/ApprovalStore.js';
import { approvalEvent } from './approvalEvent.js';

const STATUSES = new Set(['pending', 'approved', 'denied', 'expired', 'consumed']);

/** What the Warden lends its approvals: the store, the audit trail, the redaction. */
export interface ApprovalsDeps {
	readonly store: ApprovalStore | undefined;
	readonly redaction: RedactionPolicy;
	readonly mode: Mode;
	readonly emit: (event: AuditEvent) => void;
}

/**
 * `warden.approvals`: the requests of held calls, in the Warden's storage (every process sharing the store sees the
 * same ones). Resolution is write-once and atomic: of two approvers racing, one wins and the other gets
 * `ApprovalConflictError`.
 *
 * @example
 * ```ts
 * for (const request of await warden.approvals.list({ status: 'pending' })) {
 *   await warden.approvals.approve(request.id, { approver: 'alice@example.com', note: 'checked the invoice' });
 * }
 * ```
 */
export class Approvals {
	readonly #deps: ApprovalsDeps;

	/** @internal made by the Warden: use `warden.approvals`. */
	constructor(deps: ApprovalsDeps) {
		this.#deps = deps;
	}

	/** Requests, newest first; without `sessionId`, every session's. Expired ones are marked so (and audited). */
	async list(filter: ApprovalFilter = {}): Promise<ApprovalRequest[]> {
		checkKeys(filter, ['sessionId', 'status'], 'approvals.list filter');
		if (filter.status !== undefined && !STATUSES.has(filter.status))
			throw new ConfigError(`approvals.list: unknown status "${String(filter.status)}".`);
		return this.#expiring(await this.#store().listApprovals(filter, Date.now()));
	}

	/** One request, or undefined when the id is unknown. */
	async get(id: string): Promise<ApprovalRequest | undefined> {
		checkId(id, 'get');
		return this.#expiring(await this.#store().getApproval(id, Date.now()));
	}

	/**
	 * Approves a pending request: the next call with its digest runs once.
	 * @throws ApprovalConflictError when the request is unknown, expired, consumed or already resolved
	 * @throws ConfigError when `approver` is the call's own principal or not one of the request's `approvers`
	 */
	async approve(id: string, options: { readonly approver: string; readonly note?: string }): Promise<ApprovalRequest> {
		checkKeys(options, ['approver', 'note'], 'approvals.approve options');
		const { note } = options;
		if (note !== undefined && typeof note !== 'string')
			throw new ConfigError('approvals.approve: note must be a string.');
		return this.#resolve(
			id,
			options.approver,
			'approved',
			note === undefined ? {} : { note: this.#text(note) },
			'approve',
		);
	}

	/**
	 * Denies a pending request: identical calls are denied with `reason` until it expires.
	 * @throws ApprovalConflictError when the request is unknown, expired, consumed or already resolved
	 * @throws ConfigError when `approver` may not resolve it, or `reason` is missing
	 */
	async deny(id: string, options: { readonly approver: string; readonly reason: string }): Promise<ApprovalRequest> {
		checkKeys(options, ['approver', 'reason'], 'approvals.deny options');
		if (typeof options.reason !== 'string' || options.reason === '')
			throw new ConfigError('approvals.deny needs a reason for the agent.');
		return this.#resolve(id, options.approver, 'denied', { reason: this.#text(options.reason) }, 'deny');
	}

	async #resolve(
		id: string,
		approver: string,
		status: ApprovalResolution['status'],
		extra: object,
		verb: string,
	): Promise<ApprovalRequest> {
		checkId(id, verb);
		if (typeof approver !== 'string' || approver === '')
			throw new ConfigError(`approvals.${verb}: approver must be a non-empty string naming who decided.`);
		const store = this.#store();
		const found = this.#expiring(await store.getApproval(id, Date.now()));
		if (found === undefined) throw new ApprovalConflictError(id, 'unknown');
		if (found.status !== 'pending') throw new ApprovalConflictError(id, found.status);
		mayResolve(found, approver, verb);
		const resolution: ApprovalResolution = {
			status,
			approver: this.#deps.redaction.redactText(approver),
			resolvedAt: new Date().toISOString(),
			...extra,
		};
		const result = await store.resolveApproval(id, resolution, Date.now());
		if (!result.ok) {
			if (result.expired !== undefined) this.#emit(AuditAction.APPROVAL_EXPIRED, result.expired);
			throw new ApprovalConflictError(id, result.request?.status ?? 'unknown');
		}
		this.#emit(status === 'approved' ? AuditAction.APPROVAL_GRANTED : AuditAction.APPROVAL_DENIED, result.request);
		return result.request;
	}

	/** Audits the requests a read found expired and returns what it read. */
	#expiring<T>(read: ApprovalRead<T>): T {
		for (const request of read.expired) this.#emit(AuditAction.APPROVAL_EXPIRED, request);
		return read.value;
	}

	#emit(action: Parameters<typeof approvalEvent>[2], request: ApprovalRequest): void {
		this.#deps.emit(approvalEvent(this.#deps.redaction, this.#deps.mode, action, request));
	}

	#store(): ApprovalStore {
		const { store } = this.#deps;
		if (store === undefined)
			throw new ConfigError(
				"This Warden's storage cannot hold approval requests: use MemoryStorage or RedisStorage, " +
					'or implement storage.approvals.',
			);
		return store;
	}

	#text(value: string): string {
		return this.#deps.redaction.redactText(capMessage(value));
	}
}

/** The call's own principal never approves it; with an `approvers` list, only those on it resolve it. */
function mayResolve(request: ApprovalRequest, approver: string, verb: string): void {
	if (request.requesterId !== undefined && request.requesterId === approver) {
		throw new ConfigError(
			`approvals.${verb}: "${approver}" made this call and cannot resolve its own approval; ask someone else.`,
		);
	}
	if (request.approvers !== undefined && !request.approvers.includes(approver)) {
		throw new ConfigError(
			`approvals.${verb}: "${approver}" is not one of the approvers of this request (${request.approvers.join(', ')}).`,
		);
	}
}

function checkId(id: unknown, verb: string): void {
	if (typeof id !== 'string' || id === '')
		throw new ConfigError(`approvals.${verb}: the id must be a non-empty string.`);
}
