import { performance } from 'node:perf_hooks';
import { StorageUnavailableError } from '../errors/StorageUnavailableError.js';
import { isThenable } from '../_internal/isThenable.js';
import { fingerprintWith } from './fingerprintKey.js';
import type { Awaitable, KeyBound, SessionCounters, SessionTotals, StorageBackend, Update } from './StorageBackend.js';

/** A session with nothing counted: what a view answers for a store it cannot reach (fail-open). */
export const NO_TOTALS: SessionTotals = Object.freeze({
	attempts: 0,
	executions: 0,
	consecutiveFailures: 0,
	consecutiveDenials: 0,
	halted: null,
	haltedBy: null,
	toolExecutions: {},
	failed: 0,
	denied: 0,
	replayed: 0,
	sideEffectsExecuted: 0,
	interventions: {},
});

/** Whether calls on `store` need a {@link CallStorage} view: a bound per call, or fail-open answers. */
export function needsCallView(store: StorageBackend): boolean {
	return store.timeoutMs !== undefined || store.failMode === 'open';
}

/**
 * One call's view of a store. Every operation of the call shares one deadline (`timeoutMs` from the call's start),
 * so the call's store work finishes or fails within it end to end, however many guards it runs; work still pending
 * at the deadline fails with a StorageUnavailableError (the store's own timeout still ends it in the background).
 * With `failMode: 'open'`, an unavailable store answers neutral values instead (no counts, no halt, nothing
 * recorded) and the call is marked `degraded`, which the Warden audits as a would-deny: the rest of the decision
 * goes on without the store. Any other error still propagates.
 */
export class CallStorage implements StorageBackend {
	/** Why the store failed during this call, when it is fail-open and did. */
	degraded: StorageUnavailableError | undefined;
	readonly store: StorageBackend;
	readonly failMode: 'open' | 'closed';
	readonly #open: boolean;
	#deadline = Infinity;
	/** The store failed in this phase of the call: the rest of the phase goes on without it. */
	#failed = false;
	/** The outcome of a call that went on without the store: its store work is started, never waited for. */
	#background = false;

	constructor(store: StorageBackend) {
		this.store = store;
		this.failMode = store.failMode ?? 'closed';
		this.#open = this.failMode === 'open';
		this.renew();
	}

	/**
	 * Starts a new phase with a bound of its own: the outcome of a call that ran gets its own `timeoutMs`. When the
	 * decision went on without the store (fail-open), the outcome's store work is still started (a ledger entry
	 * claimed before must be completed) but not waited for: the call does not wait twice for a failing store.
	 */
	renew(): void {
		this.#failed = false;
		this.#background = this.degraded !== undefined;
		if (this.store.timeoutMs !== undefined) this.#deadline = performance.now() + this.store.timeoutMs;
	}

	/**
	 * Waits for cleanup work (a guard's release, a denial count) at most until the deadline; the work goes on in the
	 * background past it. Never rejects: cleanup is best effort.
	 */
	settle(work: Awaitable<unknown>): Awaitable<void> {
		if (!isThenable(work)) return undefined;
		const done = Promise.resolve(work).then(
			() => undefined,
			() => undefined,
		);
		const left = this.#deadline - performance.now();
		if (left === Infinity) return done;
		if (left <= 0) return undefined;
		return race(done, left, () => undefined);
	}

	fingerprint(text: string): string {
		return fingerprintWith(this.store, text);
	}
	beginAttempt(sessionId: string): Awaitable<SessionCounters> {
		return this.#bound(() => this.store.beginAttempt(sessionId), { ...NO_TOTALS, attempts: 1 });
	}
	reserveExecution(
		...args: Parameters<StorageBackend['reserveExecution']>
	): ReturnType<StorageBackend['reserveExecution']> {
		return this.#bound(() => this.store.reserveExecution(...args), { ok: true, executions: 0 });
	}
	recordOutcome(...args: Parameters<StorageBackend['recordOutcome']>): Awaitable<number> {
		return this.#bound(() => this.store.recordOutcome(...args), 0);
	}
	haltSession(...args: Parameters<StorageBackend['haltSession']>): Awaitable<void> {
		return this.#bound(() => this.store.haltSession(...args), undefined);
	}
	resetSession(sessionId: string): Awaitable<void> {
		return this.store.resetSession(sessionId);
	}
	totals(sessionId: string): Awaitable<SessionTotals> {
		return this.#bound(() => this.store.totals(sessionId), NO_TOTALS);
	}
	update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): Awaitable<R> {
		return this.#bound(
			() => this.store.update(namespace, key, fn, bound),
			() => fn(undefined).result,
		);
	}
	read<T>(namespace: string, key: string, bound?: KeyBound): Awaitable<T | undefined> {
		return this.#bound(() => this.store.read<T>(namespace, key, bound), undefined);
	}

	#bound<T>(operation: () => Awaitable<T>, neutral: T | (() => T)): Awaitable<T> {
		const fallback = (error: unknown): T => {
			if (!(error instanceof StorageUnavailableError) || !this.#open) throw error;
			this.degraded ??= error;
			this.#failed = true;
			return typeof neutral === 'function' ? (neutral as () => T)() : neutral;
		};
		if (this.#background) return this.#startOnly(operation, neutral);
		try {
			if (this.#failed && this.degraded !== undefined) throw this.degraded;
			const left = this.#deadline - performance.now();
			if (left <= 0) throw this.#expired();
			const result = operation();
			if (!isThenable(result)) return result;
			const pending = Promise.resolve(result);
			const bounded = left === Infinity ? pending : race(pending, left, () => Promise.reject(this.#expired()));
			return bounded.catch(fallback);
		} catch (error) {
			return fallback(error);
		}
	}

	#startOnly<T>(operation: () => Awaitable<T>, neutral: T | (() => T)): Awaitable<T> {
		try {
			const result = operation();
			if (!isThenable(result)) return result;
			Promise.resolve(result).catch(() => undefined);
		} catch {
			// Best effort: the call already went on without the store.
		}
		return typeof neutral === 'function' ? (neutral as () => T)() : neutral;
	}

	#expired(): StorageUnavailableError {
		return new StorageUnavailableError(
			`The session store did not finish this call's work within ${String(this.store.timeoutMs)} ms.`,
		);
	}
}

/** `promise`, or what `late()` gives when it takes longer than `ms`; the timer never outlives the race. */
function race<T>(promise: Promise<T>, ms: number, late: () => T | Promise<T>): Promise<T> {
	// The promise may still settle after the deadline: its outcome must not become an unhandled rejection.
	promise.catch(() => undefined);
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<T>((resolve) => {
		timer = setTimeout(() => resolve(late()), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
