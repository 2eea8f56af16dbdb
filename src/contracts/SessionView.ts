import type { SessionCounters } from '../storage/StorageBackend.js';
import { CountersSnapshot } from '../storage/MemorySession.js';

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

/**
 * The {@link SessionView} of a counters snapshot: one object per call. Read-only through getters over the snapshot
 * (an assignment throws in strict mode, as there is no setter) instead of copied fields and a freeze, which cost more
 * per call; logging it (`console.log`, `JSON.stringify`) still shows the counters.
 */
export class CountersView implements SessionView {
	readonly #id: string;
	readonly #counters: SessionCounters;

	constructor(id: string, counters: SessionCounters) {
		this.#id = id;
		this.#counters = counters;
	}

	get id(): string {
		return this.#id;
	}

	get attempts(): number {
		return this.#counters.attempts;
	}

	get executions(): number {
		return this.#counters.executions;
	}

	get consecutiveFailures(): number {
		return this.#counters.consecutiveFailures;
	}

	toolExecutions(toolName: string): number {
		// The in-memory store's snapshot answers from its counts directly, without making their record.
		if (this.#counters instanceof CountersSnapshot) return this.#counters.toolCount(toolName);
		return Object.hasOwn(this.#counters.toolExecutions, toolName) ? (this.#counters.toolExecutions[toolName] ?? 0) : 0;
	}

	/** What `JSON.stringify` shows. */
	toJSON(): { id: string; attempts: number; executions: number; consecutiveFailures: number } {
		return {
			id: this.id,
			attempts: this.attempts,
			executions: this.executions,
			consecutiveFailures: this.consecutiveFailures,
		};
	}

	/** What `console.log` and `util.inspect` show. */
	[Symbol.for('nodejs.util.inspect.custom')](): object {
		return this.toJSON();
	}
}
