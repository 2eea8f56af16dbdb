/**
 * A session's run report: what the agent did and what governance stopped. JSON-serialisable.
 *
 * @example
 * ```ts
 * const report = await warden.report();
 * console.log(formatReport(report));
 * ```
 */
export interface RunReport {
	readonly sessionId: string;
	/** Calls attempted (denied and replayed ones included). */
	readonly calls: number;
	/** Runs of a tool (a failed run included). */
	readonly executed: number;
	/** Runs that threw. */
	readonly failed: number;
	readonly denied: number;
	/** Calls answered with a recorded result instead of running. */
	readonly replayed: number;
	/** Share of calls that ran and succeeded (0..1; 1 for an empty session). */
	readonly efficiency: number;
	/** Denials and replays by rule (`repeatGuard`, `maxToolCalls`, a contract's name, ...). */
	readonly interventions: Readonly<Record<string, number>>;
	/**
	 * Calls that at least one rule would have denied but did not block: every failing rule in an observe-mode Warden,
	 * and contracts in `mode: 'observe'` in an enforcing one. What a shadow deployment would have stopped.
	 */
	readonly wouldDeny: number;
	/** Would-denies by rule; a call that several rules would have denied counts once for each of them. */
	readonly wouldDenyByRule: Readonly<Record<string, number>>;
	/** Tools quarantined for the session by a behaviour guard, and why. */
	readonly quarantined: ReadonlyArray<{ readonly tool: string; readonly reason: string }>;
	readonly sideEffects: {
		/** Runs of `write`/`irreversible` tools. */
		readonly executed: number;
		/** `write`/`irreversible` calls the side-effect ledger replayed or denied. */
		readonly prevented: number;
	};
	readonly cost: { readonly spentUsd: number; readonly budgetUsd?: number };
}
