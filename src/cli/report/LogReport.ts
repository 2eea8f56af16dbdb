import type { TimeBucket } from './Timeline.js';
import type { ReasonCount } from './TopReasons.js';

/** Counts by rule and by tool. */
export interface Breakdown {
	readonly byRule: Record<string, number>;
	readonly byTool: Record<string, number>;
}

/** One session's line in the report. */
export interface SessionSummary {
	readonly sessionId: string;
	readonly calls: number;
	readonly denied: number;
	readonly wouldDeny: number;
	readonly replayed: number;
	readonly failed: number;
	readonly first: string;
	readonly last: string;
}

/**
 * What `toolwarden report --json` prints (API §11; fields past the contract's are extras). Calls are counted by
 * their pre-execution event (`call_allowed`, `call_denied`, `call_would_deny`, `call_replayed`, `call_held`); a call
 * failing several rules counts once in totals and once per rule in `byRule`.
 */
export interface LogReport {
	/** Calls (pre-execution events). */
	readonly calls: number;
	/** Distinct session ids. */
	readonly sessions: number;
	/** Events by audit action (every line, pre and post events). */
	readonly byAction: Record<string, number>;
	/** Calls denied (`call_denied`), by the denying rule and by tool. */
	readonly denied: Breakdown & { readonly total: number };
	/** Calls with at least one would-deny (observe mode, observe-mode contracts): by each failing rule and by tool. */
	readonly wouldDeny: Breakdown & { readonly calls: number };
	/** Calls answered with a recorded result instead of running (`call_replayed`). */
	readonly replayed: number;
	readonly replayedByRule: Record<string, number>;
	/**
	 * Calls held for a person's approval (`call_held`, API §10), by the holding rule and by tool. A held call did not
	 * run; the retry that runs on a grant is a call of its own. In observe mode a hold is a would-deny (source
	 * `approval`) and counts in `wouldDeny`.
	 */
	readonly held: Breakdown & { readonly total: number };
	/** Approval requests resolved (`approval_granted`, `approval_denied`) or expired, and resolutions by approver. */
	readonly approvals: {
		readonly granted: number;
		readonly denied: number;
		readonly expired: number;
		readonly byApprover: Record<string, number>;
	};
	/** `write`/`irreversible` calls that did not run: denied or replayed. */
	readonly sideEffectsPrevented: number;
	/** `write`/`irreversible` calls with a would-deny (they ran; enforcing would have stopped them). */
	readonly sideEffectsWouldPrevent: number;
	/**
	 * Spend known from the log, in USD: per session, the largest spend a `costBudget` record reported, summed. Audit
	 * events carry no per-call cost, so this is a lower bound (0 when no budget ever intervened).
	 */
	readonly costUsd: number;
	/** Denial and would-deny reasons, most frequent first. */
	readonly topReasons: ReasonCount[];
	/** True when more distinct reasons than the counter keeps were seen (the tail of `topReasons` is approximate). */
	readonly topReasonsApproximate: boolean;
	readonly executed: number;
	readonly failed: number;
	readonly postconditionWarnings: number;
	/** Timestamps of the first and last event counted. */
	readonly from?: string;
	readonly until?: string;
	readonly timeline: { readonly bucketMs: number; readonly buckets: TimeBucket[] };
	/** The sessions with the most interventions (at most 50). */
	readonly topSessions: SessionSummary[];
	/** Lines that were not call events (chain repair records, other record kinds), and torn last lines skipped. */
	readonly otherLines: number;
	readonly tornLines: number;
	/** The log sets read. */
	readonly files: string[][];
}
