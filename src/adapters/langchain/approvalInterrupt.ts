import { interrupt } from '@langchain/langgraph';
import type { CallOptions } from '../../envelope/types.js';
import type { GovernedCall } from '../../warden/GovernedCall.js';
import type { Warden } from '../../warden/Warden.js';
import { approveHeld, denyHeld } from '../shared/approveHeld.js';

/**
 * What the interrupt carries: the shape of LangChain's human-in-the-loop middleware (`HITLRequest`), so a UI built for
 * `humanInTheLoopMiddleware` handles it, plus the toolwarden request it stands for. Only `approve` and `reject` are
 * offered: an edited call is a different call (another digest) and needs its own approval.
 */
export interface WardenHITLRequest {
	readonly actionRequests: ReadonlyArray<{
		readonly name: string;
		readonly args: Record<string, unknown>;
		readonly description: string;
	}>;
	readonly reviewConfigs: ReadonlyArray<{
		readonly actionName: string;
		readonly allowedDecisions: readonly ['approve', 'reject'];
	}>;
	readonly approval: { readonly id: string; readonly digest: string; readonly expiresAt?: string };
}

/** The answer to resume with: `new Command({ resume: { decisions: [{ type: 'approve' }] } })`. */
interface HITLAnswer {
	readonly decisions?: ReadonlyArray<{ readonly type?: unknown; readonly message?: unknown }>;
}

/**
 * A held call in a LangGraph run: interrupts the run (the first time; LangGraph then re-runs the tool node on resume,
 * and the identical call finds the same pending request, since holds reserve nothing) and, once resumed, records the
 * person's decision as `approver`. Returns the call to run (on its grant) or, for a rejection or an answer that is not
 * a decision, a reason for the model (fail closed).
 */
export async function settleByInterrupt<A extends object>(
	warden: Warden,
	call: GovernedCall<A>,
	approver: string,
	options: CallOptions,
): Promise<GovernedCall<A> | { readonly rejected: string }> {
	const approval = call.decision.approval;
	if (call.decision.action !== 'hold' || approval?.id === undefined) return call;
	const request: WardenHITLRequest = {
		actionRequests: [
			{
				name: call.envelope.toolName,
				args: warden.redaction.redact(call.envelope.args) as Record<string, unknown>,
				description: approval.message,
			},
		],
		reviewConfigs: [{ actionName: call.envelope.toolName, allowedDecisions: ['approve', 'reject'] }],
		approval: {
			id: approval.id,
			digest: approval.digest,
			...(approval.expiresAt === undefined ? {} : { expiresAt: approval.expiresAt }),
		},
	};
	const answer = interrupt<WardenHITLRequest, HITLAnswer | undefined>(request);
	const decision = answer?.decisions?.[0];
	if (decision?.type === 'approve') return approveHeld(warden, call, approver, options);
	if (decision?.type === 'reject') {
		const reason =
			typeof decision.message === 'string' && decision.message !== '' ? decision.message : `Rejected by ${approver}.`;
		await denyHeld(warden, call, approver, reason);
		return { rejected: `${reason} The call was not run.` };
	}
	return {
		rejected: `The approval answer was not { decisions: [{ type: 'approve' | 'reject' }] }; the call was not run.`,
	};
}
