import type { CallOptions } from '../../envelope/types.js';
import { errorMessage } from '../../_internal/text.js';
import type { GovernedCall } from '../../warden/GovernedCall.js';
import type { Warden } from '../../warden/Warden.js';

/**
 * A held call that the framework's own approval flow approved (a person clicked approve there): records the approval
 * in the Warden as `approver`, then governs the call again (same call id) so it runs on the one-shot grant with
 * today's limits and rules. When the approval cannot be recorded (the approver is the call's own principal, not on
 * the rule's `approvers`, or someone else resolved it first), the retry shows what the store says instead: usually a
 * hold or a denial, never a run without a recorded approval.
 */
export async function approveHeld<A extends object>(
	warden: Warden,
	call: GovernedCall<A>,
	approver: string,
	options: CallOptions,
): Promise<GovernedCall<A>> {
	const id = call.decision.approval?.id;
	if (call.decision.action !== 'hold' || id === undefined) return call;
	try {
		await warden.approvals.approve(id, { approver });
	} catch (error) {
		return withReason(
			call,
			`${call.decision.reason ?? 'This call needs approval.'} The approval given by "${approver}" ` +
				`could not be recorded: ${errorMessage(error)}`,
		);
	}
	return warden.begin(call.envelope.toolName, call.envelope.args, { ...options, callId: call.envelope.callId });
}

/**
 * A held call that the framework's flow rejected: records the denial (sticky until the request expires) so the audit
 * trail and later identical calls know. Best effort: a request someone already resolved keeps its resolution.
 */
export async function denyHeld(
	warden: Warden,
	call: GovernedCall<object>,
	approver: string,
	reason: string,
): Promise<void> {
	const id = call.decision.approval?.id;
	if (call.decision.action !== 'hold' || id === undefined) return;
	await warden.approvals.deny(id, { approver, reason }).catch(() => undefined);
}

function withReason<A extends object>(call: GovernedCall<A>, reason: string): GovernedCall<A> {
	return Object.create(call, { decision: { value: { ...call.decision, reason } } }) as GovernedCall<A>;
}
