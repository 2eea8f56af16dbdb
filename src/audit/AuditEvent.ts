import type { Mode } from '../decisions/Mode.js';
import type { SideEffect } from '../envelope/types.js';
import type { ContractRecord, DecisionSource, DenialRecord, HookRecord } from '../decisions/decisions.js';
import type { AuditAction } from './AuditAction.js';

/** The schema version of {@link AuditEvent}; bumped on any incompatible change. */
export const AUDIT_SCHEMA_VERSION = 1;

/**
 * One audit record, JSON-serialisable, camelCase. Every string in it has passed the Warden's `RedactionPolicy`, and
 * its serialised size is at most the policy's `maxEventBytes` (UTF-8); an event that had to be cut has
 * `truncated: true`.
 */
export interface AuditEvent {
	readonly schemaVersion: number;
	/**
	 * When the event happened, ISO 8601, from `Date` (fake timers apply). The clock is read once per call, when
	 * governance begins: a pre event carries that time (the envelope's `timestamp`), a post event that time plus its
	 * `durationMs`, so the two always agree.
	 */
	readonly timestamp: string;
	readonly sessionId: string;
	readonly callId: string;
	/** 1-based position of the call among the session's attempts. */
	readonly callIndex: number;
	readonly parentCallId: string | null;
	readonly toolName: string;
	/** The call's args, redacted (a preview string when the event had to be truncated). */
	readonly toolArgs: unknown;
	readonly sideEffect: SideEffect;
	readonly environment: string;
	readonly principal: unknown;
	readonly mode: Mode;
	readonly action: AuditAction;
	/** The step that denied the call, or produced the first would-deny; null when every rule passed. */
	readonly decisionSource: DecisionSource | null;
	readonly decisionRule: string | null;
	readonly reason: string | null;
	readonly hooksEvaluated: readonly HookRecord[];
	readonly contractsEvaluated: readonly ContractRecord[];
	readonly wouldDeny: readonly DenialRecord[];
	/** Whether the tool ran without throwing; null before it ran (or when it did not). */
	readonly toolSuccess: boolean | null;
	/** Null before the tool ran. */
	readonly postconditionsPassed: boolean | null;
	readonly warnings: readonly string[];
	/** Pre events: time spent governing. Post events: from the start of governance to the end of the run. */
	readonly durationMs: number;
	readonly error: { readonly type: string; readonly message: string } | null;
	/** A redacted, capped preview of the tool's result; null when there is none. */
	readonly resultSummary: string | null;
	/** The session's attempts, including this call. */
	readonly attempts: number;
	/** The session's executions, including this call when it runs. */
	readonly executions: number;
	/** The call's `metadata` option, redacted. */
	readonly metadata: Readonly<Record<string, unknown>>;
	/**
	 * The approval request the event is about: on `call_held` and the approval events, and on the events of a call that
	 * runs on a grant (or is denied by a request). Absent otherwise.
	 */
	readonly approvalId?: string;
	/** Who resolved the request: on `approval_granted` and `approval_denied`. */
	readonly approver?: string;
	readonly truncated?: true;
}
