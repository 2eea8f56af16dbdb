import type { Span } from '@opentelemetry/api';
import type { AuditTrail } from '../audit/AuditTrail.js';
import type { EventTiming, RedactedCall } from '../audit/buildEvent.js';
import type { CallOptions } from '../envelope/types.js';
import type { PreResult } from '../pipeline/GovernancePipeline.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import { NO_TOTALS } from '../storage/CallStorage.js';
import { isoAt } from '../_internal/clock.js';
import type { CallTelemetry } from './CallTelemetry.js';
import type { ResolvedOptions } from './resolveOptions.js';

/** The counters of a call whose attempt the store could not count. */
export const NO_COUNTERS: SessionCounters = NO_TOTALS;

/**
 * One call's record from its start to its completion: made once per call and filled in as the call goes (one
 * object rather than one per stage). It is also the timing of the call's events: `at` and `durationMs` are set
 * for each event before it is built.
 */
export interface CallState<A extends object = object> extends EventTiming {
	readonly toolName: string;
	readonly args: A;
	readonly options: CallOptions | undefined;
	/** `performance.now()` when governance began. */
	readonly startedAt: number;
	/** `Date.now()` when governance began: the envelope's timestamp, and with the durations every event's. */
	readonly wallStart: number;
	/** The store this call uses (a fail-open view, with such a store). */
	readonly storage: StorageBackend;
	readonly span: Span;
	readonly sessionId: string;
	at: string | undefined;
	durationMs: number;
	attempts: number;
	executions: number;
	/** The session's failure streak when the call began. */
	failuresBefore: number;
	audit: RedactedCall | undefined;
	/** The behaviour guards evaluated for the call: they learn the outcome after the run. */
	guards: PreResult['guards'];
	/** The recorded result, when a guard replayed the call. */
	replayed: PreResult['replayed'];
}

/** A call's record as it starts: nothing decided yet (every field present, so every record has one shape). */
export function startState<A extends object>(
	toolName: string,
	args: A,
	options: CallOptions | undefined,
	startedAt: number,
	wallStart: number,
	storage: StorageBackend,
	span: Span,
	sessionId: string,
): CallState<A> {
	return {
		toolName,
		args,
		options,
		startedAt,
		wallStart,
		storage,
		span,
		sessionId,
		at: undefined,
		durationMs: 0,
		attempts: 0,
		executions: 0,
		failuresBefore: 0,
		audit: undefined,
		guards: undefined,
		replayed: undefined,
	};
}

/** The timing of a pre event decided on the slow path: the call's start time, as every pre event carries. */
export function timing(start: CallState, now: number, counters: SessionCounters, pre: PreResult): EventTiming {
	const at = isoAt(start.wallStart);
	return { at, durationMs: now - start.startedAt, attempts: counters.attempts, executions: pre.executions };
}

/** Records what the pre-execution steps decided; the state is then the timing of the first event too. */
export function decidedState<A extends object>(
	state: CallState<A>,
	pre: PreResult,
	counters: SessionCounters,
	audit: RedactedCall | undefined,
	at: string | undefined,
	durationMs: number,
): CallState<A> {
	state.at = at;
	state.durationMs = durationMs;
	state.executions = pre.executions;
	state.attempts = counters.attempts;
	state.failuresBefore = counters.consecutiveFailures;
	state.audit = audit;
	state.guards = pre.guards;
	state.replayed = pre.replayed;
	return state;
}

/** What the lifecycle takes from its Warden: fixed for the Warden's life. */
export interface LifecycleHost {
	readonly options: ResolvedOptions;
	readonly storage: StorageBackend;
	readonly audit: AuditTrail;
	readonly telemetry: CallTelemetry;
	readonly redaction: RedactionPolicy;
	readonly mode: ResolvedOptions['mode'];
	readonly environment: string;
	readonly sessionId: string;
}
