import type { DecisionSource } from '../../decisions/decisions.js';
import type { GovernedCall } from '../../warden/GovernedCall.js';

/** What a denied call tells the model, as the tool's result (the agent loop goes on and can adapt). */
export interface Denial {
	readonly denied: true;
	/** Actionable, redacted. */
	readonly reason: string;
	readonly source: DecisionSource;
	readonly rule: string;
	readonly toolName: string;
	readonly callId: string;
	/** For a call held for approval: the pending request's id (resolve it with `warden.approvals`). */
	readonly approvalId?: string;
}

/** Builds the `Denial` of a call that did not run. */
export function denialOf(call: GovernedCall<object>): Denial {
	const { decision, envelope } = call;
	const denial = {
		denied: true as const,
		reason: decision.reason ?? 'Denied by governance.',
		source: decision.source ?? 'precondition',
		rule: decision.rule ?? 'unknown',
		toolName: envelope.toolName,
		callId: envelope.callId,
	};
	const approvalId = decision.approval?.id;
	return approvalId === undefined ? denial : { ...denial, approvalId };
}
