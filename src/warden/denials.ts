import type { PreDecision } from '../decisions/decisions.js';
import { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import { ApprovalRequired } from '../errors/ApprovalRequired.js';
import { SessionStateLostError } from '../errors/SessionStateLostError.js';
import { ToolCallDenied } from '../errors/ToolCallDenied.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { capMessage, errorMessage, errorName } from '../_internal/text.js';
import type { GovernedCall } from './GovernedCall.js';

/** The error `run` throws for a call that did not run: `ApprovalRequired` for a hold, else `ToolCallDenied`. */
export function denied(call: GovernedCall<object>): ToolCallDenied {
	const { decision, envelope } = call;
	if (decision.action === 'hold')
		return new ApprovalRequired(
			decision as ConstructorParameters<typeof ApprovalRequired>[0],
			envelope.toolName,
			envelope.callId,
		);
	// A denial is a decision handed back to the agent, not a fault of the program: what it says is in its fields
	// (source, rule, reason, the whole decision). Its stack frames would cost more to capture (2 to 3 µs) than
	// governing the call did, so it carries none; where the intrinsics are frozen it keeps them.
	const limit = Error.stackTraceLimit;
	try {
		Error.stackTraceLimit = 0;
	} catch {
		// `Error.stackTraceLimit` is read-only here (a locked-down realm).
	}
	try {
		return new ToolCallDenied(
			decision as PreDecision & { reason: string; source: NonNullable<PreDecision['source']>; rule: string },
			envelope.toolName,
			envelope.callId,
		);
	} finally {
		if (Error.stackTraceLimit !== limit) Error.stackTraceLimit = limit;
	}
}

/** A denial that holds in every mode: without a valid envelope there is nothing safe to run the tool on. */
export function hardDeny(
	mode: PreDecision['mode'],
	source: NonNullable<PreDecision['source']>,
	rule: string,
	reason: string,
): PreDecision {
	return { action: 'deny', mode, reason, source, rule, hooks: [], contracts: [], wouldDeny: [] };
}

/** A fail-open store degraded during the call: the call goes on, and the fact is a would-deny in its decision. */
export function withDegraded(decision: PreDecision, redaction: RedactionPolicy, error: Error): PreDecision {
	const text =
		error instanceof SessionStateLostError
			? `${error.message} The session started over with fresh limits and guard state; this call went on without ` +
				`them (failMode 'open').`
			: `The session store is unavailable (${error.message}); the call went on without its limits and guards ` +
				`(failMode 'open').`;
	const reason = capMessage(redaction.redactText(text));
	const record = { source: 'storage_unavailable' as const, rule: 'storage', reason };
	if (decision.action !== 'allow') return decision;
	return decision.source === undefined
		? { ...decision, reason, source: record.source, rule: record.rule, wouldDeny: [...decision.wouldDeny, record] }
		: { ...decision, wouldDeny: [...decision.wouldDeny, record] };
}

/** The decision of a call the session store failed (fail-closed storage). */
export function storageDecision(mode: PreDecision['mode'], redaction: RedactionPolicy, error: unknown): PreDecision {
	const builder = new DecisionBuilder(mode);
	const reason = redaction.redactText(
		error instanceof SessionStateLostError
			? `${error.message} Its limits and guard state can no longer be trusted, so the call was not run. Stop and ` +
					'tell the user: a person must reset the session (warden.resetSession) to continue.'
			: `Governance is unavailable (session store: ${errorName(error)}: ${errorMessage(error)}); the call was not ` +
					'run. Retry later or report the outage to the user.',
	);
	builder.fail('storage_unavailable', 'storage', capMessage(reason));
	return builder.finish();
}
