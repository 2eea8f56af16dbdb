import { StorageUnavailableError } from '../errors/StorageUnavailableError.js';
import { isThenable } from '../_internal/text.js';
import type { Awaitable, KeyBound, SessionCounters, SessionTotals, StorageBackend, Update } from './StorageBackend.js';

const ZERO: SessionTotals = Object.freeze({ attempts: 0, executions: 0, consecutiveFailures: 0, consecutiveDenials: 0, halted: null, toolExecutions: {}, failed: 0, denied: 0, replayed: 0, sideEffectsExecuted: 0, interventions: {} });

/**
 * A fail-open view of a store, for one call: when the store is unavailable, each operation answers a neutral value
 * (no counts, no halt, nothing recorded) and the call is marked `degraded`, which the Warden audits as a would-deny
 * with source `storage_unavailable`. Any other error still propagates.
 */
export class FailOpenStorage implements StorageBackend {
	degraded: StorageUnavailableError | undefined;
	readonly #store: StorageBackend;

	constructor(store: StorageBackend) {
		this.#store = store;
	}

	beginAttempt(sessionId: string): Awaitable<SessionCounters> {
		return this.#guard(() => this.#store.beginAttempt(sessionId), { ...ZERO, attempts: 1 });
	}
	reserveExecution(...args: Parameters<StorageBackend['reserveExecution']>): ReturnType<StorageBackend['reserveExecution']> {
		return this.#guard(() => this.#store.reserveExecution(...args), { ok: true, executions: 0 });
	}
	recordOutcome(...args: Parameters<StorageBackend['recordOutcome']>): Awaitable<number> {
		return this.#guard(() => this.#store.recordOutcome(...args), 0);
	}
	haltSession(...args: Parameters<StorageBackend['haltSession']>): Awaitable<void> {
		return this.#guard(() => this.#store.haltSession(...args), undefined);
	}
	resetSession(sessionId: string): Awaitable<void> {
		return this.#store.resetSession(sessionId);
	}
	totals(sessionId: string): Awaitable<SessionTotals> {
		return this.#guard(() => this.#store.totals(sessionId), ZERO);
	}
	update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): Awaitable<R> {
		return this.#guard(() => this.#store.update(namespace, key, fn, bound), () => fn(undefined).result);
	}
	read<T>(namespace: string, key: string): Awaitable<T | undefined> {
		return this.#guard(() => this.#store.read<T>(namespace, key), undefined);
	}

	#guard<T>(operation: () => Awaitable<T>, neutral: T | (() => T)): Awaitable<T> {
		const fallback = (error: unknown): T => {
			if (!(error instanceof StorageUnavailableError)) throw error;
			this.degraded ??= error;
			return typeof neutral === 'function' ? (neutral as () => T)() : neutral;
		};
		try {
			const result = operation();
			return isThenable(result) ? Promise.resolve(result).catch(fallback) : result;
		} catch (error) {
			return fallback(error);
		}
	}
}
