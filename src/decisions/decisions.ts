import type { ApprovalInfo } from './ApprovalRequest.js';
import type { ContractType, Mode } from './Mode.js';

/**
 * Which step of the pipeline produced a denial (or would-deny).
 * - `invalid_input`: the args could not be snapshotted into an envelope;
 * - `attempt_limit`, `session_halted`, `hook`, `precondition`, `session_contract`, `behavior`, `execution_limit`,
 *   `tool_limit`: the pipeline steps of API §5, in order;
 * - `policy_error`: a contract, hook or `when` threw or returned something that is not a Verdict/HookDecision;
 * - `storage_unavailable`: the session store could not be reached (fail-closed storage);
 * - `audit_unavailable`: with `auditFailMode: 'closed'`, the pre-execution event could not be recorded; or the
 *   Warden is closed (rule `closed`);
 * - `approval`: a person's approval was asked (a hold), denied, or expired (API §10).
 */
export type DecisionSource =
	| 'invalid_input'
	| 'attempt_limit'
	| 'session_halted'
	| 'hook'
	| 'precondition'
	| 'session_contract'
	| 'behavior'
	| 'execution_limit'
	| 'tool_limit'
	| 'policy_error'
	| 'storage_unavailable'
	| 'audit_unavailable'
	| 'approval';

/** One before-hook evaluated for a call. */
export interface HookRecord {
	readonly name: string;
	readonly result: 'allow' | 'deny' | 'hold';
	readonly reason?: string;
}

/** One contract evaluated for a call, in evaluation order. */
export interface ContractRecord {
	readonly name: string;
	readonly type: ContractType;
	readonly passed: boolean;
	readonly message?: string;
	/** True when the contract failed but did not block (observe mode). */
	readonly observed?: boolean;
	/** True when the contract asked for approval (`Verdict.hold`). */
	readonly held?: boolean;
	readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A rule failure: the one that denied, or one that would have denied (`wouldDeny`). */
export interface DenialRecord {
	readonly source: DecisionSource;
	readonly rule: string;
	readonly reason: string;
}

/**
 * The pipeline's answer before a tool runs. `action` is what happens: `allow` (the tool runs, also for would-deny
 * calls in observe mode), `deny` (it does not), `replay` (a behaviour guard returns a recorded result instead),
 * `hold` (it waits for a person's approval: `approval` names the request).
 * `reason`, `source` and `rule` name the denying (or holding) rule, or the first would-deny when nothing blocked.
 */
export interface PreDecision {
	readonly action: 'allow' | 'deny' | 'replay' | 'hold';
	readonly mode: Mode;
	readonly reason?: string;
	readonly source?: DecisionSource;
	readonly rule?: string;
	readonly hooks: readonly HookRecord[];
	readonly contracts: readonly ContractRecord[];
	/** Exactly the failures that did not block. */
	readonly wouldDeny: readonly DenialRecord[];
	/** For `action: 'hold'`: the approval request the call waits for. */
	readonly approval?: ApprovalInfo;
	/** The approval this call used (an allowed call consuming a grant) or was denied by. */
	readonly approvalId?: string;
}

/** The pipeline's answer after a tool ran (or failed). */
export interface PostDecision {
	/** Whether the tool ran without throwing. */
	readonly ok: boolean;
	/** False when any postcondition failed (or threw). */
	readonly postconditionsPassed: boolean;
	/** Failed postcondition messages, then after-hook errors. */
	readonly warnings: readonly string[];
	readonly contracts: readonly ContractRecord[];
}
