import { isThenable } from '../_internal/isThenable.js';
import type {
	Awaitable,
	ExecutionLimits,
	KeyBound,
	Reservation,
	SessionCounters,
	SessionTotals,
	StorageBackend,
	Update,
} from '../storage/StorageBackend.js';

/**
 * A read-only view of a store for `warden.preview`: rules and guards read the real state, and every write is
 * computed but dropped, so a preview changes nothing (no attempt, no reservation, no guard state).
 */
export class PreviewStorage implements StorageBackend {
	readonly #store: StorageBackend;

	constructor(store: StorageBackend) {
		this.#store = store;
	}

	beginAttempt(sessionId: string): Awaitable<SessionCounters> {
		return this.#store.totals(sessionId);
	}

	/** Whether one more execution would fit, without reserving it. */
	reserveExecution(
		sessionId: string,
		toolName: string,
		limits: ExecutionLimits,
		force: boolean,
	): Awaitable<Reservation> {
		const decide = (totals: SessionTotals): Reservation => {
			const executions = totals.executions + 1;
			if (executions > limits.maxToolCalls && !force)
				return { ok: false, limit: 'maxToolCalls', executions: totals.executions };
			if ((totals.toolExecutions[toolName] ?? 0) + 1 > limits.maxForTool && !force)
				return { ok: false, limit: 'maxCallsPerTool', executions: totals.executions };
			return { ok: true, executions };
		};
		const totals = this.#store.totals(sessionId);
		return isThenable(totals) ? Promise.resolve(totals).then(decide) : decide(totals);
	}

	recordOutcome(): Awaitable<number> {
		return 0;
	}

	totals(sessionId: string): Awaitable<SessionTotals> {
		return this.#store.totals(sessionId);
	}

	update<T, R>(namespace: string, key: string, fn: Update<T, R>, _bound?: KeyBound): Awaitable<R> {
		const current = this.#store.read<T>(namespace, key);
		return isThenable(current) ? Promise.resolve(current).then((value) => fn(value).result) : fn(current).result;
	}

	read<T>(namespace: string, key: string): Awaitable<T | undefined> {
		return this.#store.read<T>(namespace, key);
	}

	haltSession(): void {}

	resetSession(): void {}
}
