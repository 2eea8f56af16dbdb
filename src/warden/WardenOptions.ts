import type { ApprovalOptions } from '../decisions/ApprovalRequest.js';
import type { Meter, Tracer } from '@opentelemetry/api';
import type { AuditSink } from '../audit/AuditSink.js';
import type { AuditErrorHandler } from '../audit/AuditTrail.js';
import type { Contract, Mode } from '../contracts/Contract.js';
import type { ToolSpec } from '../envelope/types.js';
import type { Hook } from '../hooks/hooks.js';
import type { RedactionOptions, RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { StorageBackend } from '../storage/StorageBackend.js';

/**
 * Limits on a session's calls (API §5). Each is a non-negative integer (`0` allows nothing) or `Infinity`.
 *
 * @example
 * ```ts
 * new Warden({ limits: { maxToolCalls: 50, maxCallsPerTool: { refund: 1, send_email: 5 } } });
 * ```
 */
export interface LimitOptions {
	/**
	 * Attempts per session, denied calls included: attempt N is denied when N > maxAttempts.
	 * @default 500
	 */
	readonly maxAttempts?: number;
	/**
	 * Executions per session (a failed execution counts).
	 * @default 200
	 */
	readonly maxToolCalls?: number;
	/**
	 * Executions per session of individual tools.
	 * @default {}
	 */
	readonly maxCallsPerTool?: Readonly<Record<string, number>>;
}

/**
 * Options of `new Warden(options)`. Validated at construction: an unknown key at any level, an unknown mode or side
 * effect, an invalid limit, a sink without `emit`, a hook not made by `beforeHook`/`afterHook` or a value in
 * `contracts` that is not a contract throws `ConfigError`.
 *
 * @example
 * ```ts
 * const warden = new Warden({
 *   mode: 'observe',
 *   contracts: [new Safety(), noDotEnv],
 *   tools: { read_file: { sideEffect: 'read' } },
 *   limits: { maxToolCalls: 100 },
 *   audit: new JsonlFileSink('audit.jsonl'),
 * });
 * ```
 */
export interface WardenOptions {
	/**
	 * `enforce` blocks denied calls; `observe` runs the full pipeline, blocks nothing and audits denials as
	 * `call_would_deny` (shadow deployment).
	 * @default 'enforce'
	 */
	readonly mode?: Mode;
	/**
	 * Copied into envelopes and audit events.
	 * @default 'production'
	 */
	readonly environment?: string;
	/**
	 * Contracts: values from `precondition`/`postcondition`/`sessionContract`/the behaviour guards, or instances of
	 * classes with decorated contract methods.
	 * @default []
	 */
	readonly contracts?: ReadonlyArray<Contract | object>;
	/**
	 * Hooks from `beforeHook` / `afterHook`, run in this order.
	 * @default []
	 */
	readonly hooks?: readonly Hook[];
	/** @default { maxAttempts: 500, maxToolCalls: 200, maxCallsPerTool: {} } */
	readonly limits?: LimitOptions;
	/**
	 * The side-effect registry. Unregistered tools are `irreversible`.
	 * @default {}
	 */
	readonly tools?: Readonly<Record<string, ToolSpec>>;
	/**
	 * Where audit events go. Without a sink no event is built at all.
	 * @default none
	 */
	readonly audit?: AuditSink | readonly AuditSink[];
	/**
	 * Applied to everything a sink, span or error message receives.
	 * @default new RedactionPolicy()
	 */
	readonly redaction?: RedactionPolicy | RedactionOptions;
	/**
	 * Session state (counters, guard state).
	 * @default new MemoryStorage()
	 */
	readonly storage?: StorageBackend;
	/**
	 * The session calls join unless a call names another.
	 * @default a random id per Warden
	 */
	readonly sessionId?: string;
	/**
	 * OpenTelemetry tracer for one span per governed call.
	 * @default trace.getTracer('toolwarden') (a no-op until the app registers an SDK)
	 */
	readonly tracer?: Tracer;
	/**
	 * OpenTelemetry meter for the `toolwarden.calls` counter (by audit action) and the
	 * `toolwarden.governance.duration` histogram (ms).
	 * @default metrics.getMeter('toolwarden') (a no-op until the app registers an SDK)
	 */
	readonly meter?: Meter;
	/**
	 * `open`: a failing audit sink never blocks a call (failures are counted and reported). `closed`: a call runs
	 * only once its pre-execution event is recorded by every sink (its line written in full, for a `JsonlFileSink`;
	 * emitted and flushed, for other sinks); otherwise it is denied with source `audit_unavailable`. For regulated
	 * deployments; each allowed call then waits for the write.
	 * @default 'open'
	 */
	readonly auditFailMode?: 'open' | 'closed';
	/**
	 * Called when an audit sink throws, rejects or fails to flush (the error message is redacted). Failures are also
	 * counted in `warden.auditStats`.
	 * @default one process warning (code `TOOLWARDEN_AUDIT`) for the first failure
	 */
	readonly onAuditError?: AuditErrorHandler;
	/**
	 * Human approval (API §10): with a `handler`, `warden.run` waits for a person's answer on a held call (blocking
	 * form); without one it throws `ApprovalRequired` and the app resolves the request through `warden.approvals`.
	 * @default {} (no handler: the resumable form)
	 * @example
	 * ```ts
	 * new Warden({ contracts: [requireApproval('deploy')], approvals: { handler: askOnSlack, timeoutMs: 120_000 } });
	 * ```
	 */
	readonly approvals?: ApprovalOptions;
}

export const WARDEN_OPTION_KEYS = [
	'mode',
	'environment',
	'contracts',
	'hooks',
	'limits',
	'tools',
	'audit',
	'redaction',
	'storage',
	'sessionId',
	'tracer',
	'onAuditError',
	'auditFailMode',
	'meter',
	'approvals',
] as const;
