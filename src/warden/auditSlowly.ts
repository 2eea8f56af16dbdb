import { performance } from 'node:perf_hooks';
import { preEvent, redactCall, type RedactedCall } from '../audit/buildEvent.js';
import type { PreDecision } from '../decisions/decisions.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { PreResult } from '../pipeline/GovernancePipeline.js';
import type { SessionCounters } from '../storage/StorageBackend.js';
import { capMessage, errorMessage, errorName } from '../_internal/text.js';
import { hardDeny } from './denials.js';
import { timing, type CallState, type LifecycleHost } from './CallState.js';

/**
 * A decision's pre event on the slow path. While a sink's buffer is full, the call waits for it to drain (awaiting
 * I/O, so even a loop of tools that never yield lets the writes happen). With `auditFailMode: 'closed'` an allowed
 * call waits until its event is written, and is denied when it cannot be. Returns the decision (changed only by such
 * a denial) and the call's redacted parts.
 */
export async function auditSlowly(
	host: LifecycleHost,
	start: CallState,
	envelope: ToolEnvelope,
	rawArgs: unknown,
	pre: PreResult,
	counters: SessionCounters,
	decided: PreDecision,
): Promise<{ decision: PreDecision; audit: RedactedCall }> {
	let decision = decided;
	for (let wait = host.audit.room(); wait !== undefined; wait = host.audit.room()) await wait;
	const audit = redactCall(host.redaction, envelope, rawArgs, host.mode);
	const event = preEvent(host.redaction, audit, decision, timing(start, performance.now(), counters, pre));
	if (host.options.auditFailMode !== 'closed' || decision.action !== 'allow') {
		host.audit.emit(event);
		return { decision, audit };
	}
	try {
		await host.audit.record(event);
	} catch (error) {
		// Regulated mode: a call that cannot be recorded does not run.
		const why = `${errorName(error)}: ${errorMessage(error)}`;
		const reason = `The audit trail could not record this call (${why}), so it was not run. Retry later or report the outage to the user.`;
		decision = hardDeny(host.mode, 'audit_unavailable', 'auditFailMode', capMessage(host.redaction.redactText(reason)));
		host.audit.emit(preEvent(host.redaction, audit, decision, timing(start, performance.now(), counters, pre)));
	}
	return { decision, audit };
}
