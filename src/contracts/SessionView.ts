/**
 * A read-only snapshot of a session's counters, taken before the session contracts run, given to session contracts.
 *
 * @example
 * ```ts
 * sessionContract((session) => session.consecutiveFailures < 3 ? Verdict.pass() : Verdict.fail('Three failures in a row: stop and report.'));
 * ```
 */
export interface SessionView {
	readonly id: string;
	/** Calls attempted in the session, including this one (denied ones too). */
	readonly attempts: number;
	/** Tool executions in the session, not including this call. */
	readonly executions: number;
	/** Tool runs that failed in a row (reset by a successful run). */
	readonly consecutiveFailures: number;
	/** How many times `toolName` was executed in the session, not including this call. */
	toolExecutions(toolName: string): number;
}
