import type { Span } from '@opentelemetry/api';
import type { AuditTrail } from '../audit/AuditTrail.js';
import type { EventTiming, RedactedCall } from '../audit/buildEvent.js';
import type { CallOptions } from '../envelope/types.js';
import type { PreResult } from '../pipeline/GovernancePipeline.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import type { CallTelemetry } from './CallTelemetry.js';
import type { ResolvedOptions } from './resolveOptions.js';

/** The counters of a call whose attempt the store could not count. */
export const NO_COUNTERS: SessionCounters = Object.freeze({
	attempts: 0,
	executions: 0,
	consecutiveFailures: 0,
	consecutiveDenials: 0,
	halted: null,
	toolExecutions: {},
});

/** What a call's lifecycle knows from its start. */
export interface CallStart<A extends object> {
	readonly toolName: string;
	readonly args: A;
	readonly options: CallOptions | undefined;
	readonly startedAt: number;
	readonly storage: StorageBackend;
	readonly span: Span;
	readonly sessionId: string;
}

export function timing(
	start: CallStart<object>,
	now: number,
	counters: SessionCounters,
	pre: PreResult,
	at?: string,
): EventTiming {
	return { at, durationMs: now - start.startedAt, attempts: counters.attempts, executions: pre.executions };
}

/**
 * What the Warden keeps per call between `begin` and completion. It is also the timing of the call's events (one
 * object per call instead of one per event): `at` and `durationMs` are set for each event before it is built.
 */
export interface CallContext extends EventTiming {
	at: string | undefined;
	durationMs: number;
	readonly executions: number;
	readonly attempts: number;
	readonly audit: RedactedCall | undefined;
	readonly span: Span;
	readonly guards: PreResult['guards'];
	/** The session's failure streak when the call began. */
	readonly failuresBefore: number;
	/** The store this call uses (a fail-open view, with such a store). */
	readonly storage: StorageBackend;
	/** The recorded result, when a guard replayed the call. */
	readonly replayed: PreResult['replayed'];
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

/** What the call keeps until it completes; also the timing of its first event (`at`, `durationMs`). */
export function callContext(
	start: CallStart<object>,
	pre: PreResult,
	counters: SessionCounters,
	audit: RedactedCall | undefined,
	at: string | undefined,
	durationMs: number,
): CallContext {
	return {
		at,
		durationMs,
		executions: pre.executions,
		attempts: counters.attempts,
		failuresBefore: counters.consecutiveFailures,
		audit,
		span: start.span,
		guards: pre.guards,
		storage: start.storage,
		replayed: pre.replayed,
	};
}
