import type { SessionCounters } from '../storage/StorageBackend.js';

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

/** The {@link SessionView} of a counters snapshot: one object per call, its method on the prototype. */
export class CountersView implements SessionView {
	readonly attempts: number;
	readonly executions: number;
	readonly consecutiveFailures: number;
	readonly #perTool: Readonly<Record<string, number>>;

	constructor(
		readonly id: string,
		counters: SessionCounters,
	) {
		this.attempts = counters.attempts;
		this.executions = counters.executions;
		this.consecutiveFailures = counters.consecutiveFailures;
		this.#perTool = counters.toolExecutions;
		Object.freeze(this);
	}

	toolExecutions(toolName: string): number {
		return this.#perTool[toolName] ?? 0;
	}
}
