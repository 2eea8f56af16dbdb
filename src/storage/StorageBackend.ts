import type { ApprovalStore } from './ApprovalStore.js';

/** A value, or a promise of it: in-process stores answer synchronously and skip a microtask. */
export type { Awaitable } from '../_internal/awaitable.js';
import type { Awaitable } from '../_internal/awaitable.js';

/** A session's counters, as {@link StorageBackend.beginAttempt} returns them. */
export interface SessionCounters {
	/** Attempts in the session, including the one just begun. */
	readonly attempts: number;
	/** Executions reserved in the session (a failed execution still counts). */
	readonly executions: number;
	readonly consecutiveFailures: number;
	readonly consecutiveDenials: number;
	/** Why the session is halted (§7 `denialStreak`), or null. */
	readonly halted: string | null;
	/**
	 * The rule (guard) that halted the session: the rule of the denials a halted session gets. Optional for stores
	 * written before it existed; without it the denials name the Warden's halting guard (`denialStreak`), else
	 * `sessionHalted`.
	 */
	readonly haltedBy?: string | null;
	/** Executions per tool name. */
	readonly toolExecutions: Readonly<Record<string, number>>;
}

/** The limits an execution reservation is checked against. */
export interface ExecutionLimits {
	readonly maxToolCalls: number;
	/** The `maxCallsPerTool` entry of this tool, or Infinity. */
	readonly maxForTool: number;
}

/** The answer of {@link StorageBackend.reserveExecution}. */
export type Reservation =
	| { readonly ok: true; readonly executions: number }
	| { readonly ok: false; readonly limit: 'maxToolCalls' | 'maxCallsPerTool'; readonly executions: number };

/** How a call ended, for the session's streak counters and its report. */
export type CallOutcome = 'succeeded' | 'failed' | 'denied' | 'replayed';

/** What {@link StorageBackend.recordOutcome} learns besides the outcome. */
export interface OutcomeInfo {
	/** The rule that denied or replayed the call (counted as an intervention). */
	readonly rule?: string;
	/** For a run: whether the tool is `write`/`irreversible` (counted as an executed side effect). */
	readonly sideEffect?: boolean;
}

/** A session's totals, for `warden.report()`. */
export interface SessionTotals extends SessionCounters {
	readonly failed: number;
	readonly denied: number;
	readonly replayed: number;
	readonly sideEffectsExecuted: number;
	/** Denials and replays by rule. */
	readonly interventions: Readonly<Record<string, number>>;
}

/**
 * The change {@link StorageBackend.update} applies: the new value (`undefined` deletes it) and what to return.
 * The function must be pure: a shared store may run it again when another process changed the value meanwhile.
 */
export type Update<T, R> = (current: T | undefined) => { readonly value: T | undefined; readonly result: R };

/**
 * Bounds a family of keys: the key updated is a member of `group`, and the group keeps at most `max` keys, forgetting
 * the oldest (first written) first. Guards keep one small value per call fingerprint this way, so their state per
 * session is bounded by their window whatever the number of calls.
 */
export interface KeyBound {
	readonly group: string;
	readonly max: number;
}

/**
 * Where session state lives. Every operation that enforces a limit is atomic: with a shared store, many processes
 * can govern one session and a limit still holds exactly. Implement it to put sessions somewhere else; toolwarden
 * ships {@link MemoryStorage} (one process) and `RedisStorage` (`toolwarden/redis`).
 *
 * Methods may answer synchronously (in-process stores) or with a promise (remote stores). Lost state is never silent:
 * when a session's state vanished while it was in use (a restart without persistence, a flush, an eviction), every
 * operation on it throws `SessionStateLostError` (a `StorageUnavailableError`) instead of starting over from zero.
 */
export interface StorageBackend {
	/** Atomically counts one attempt for the session and returns its counters (after the increment). */
	beginAttempt(sessionId: string): Awaitable<SessionCounters>;
	/**
	 * Atomically reserves one execution of `toolName` if it stays within `limits`; with `force` (observe mode) the
	 * execution is counted anyway and `ok` tells whether it would have been within the limits. A reservation also
	 * ends the session's denial streak.
	 */
	reserveExecution(
		sessionId: string,
		toolName: string,
		limits: ExecutionLimits,
		force: boolean,
	): Awaitable<Reservation>;
	/**
	 * Updates the streak counters and totals: a failure extends `consecutiveFailures`, a success resets it, a denial
	 * extends `consecutiveDenials`. Returns the streak it changed (`consecutiveDenials` for a denial).
	 */
	recordOutcome(sessionId: string, outcome: CallOutcome, info?: OutcomeInfo): Awaitable<number>;
	/** The session's counters and totals, without counting an attempt. */
	totals(sessionId: string): Awaitable<SessionTotals>;
	/**
	 * Atomically reads, changes and writes one JSON-serialisable value under `(namespace, key)`: the behaviour guards
	 * keep all their state this way. A namespace is a session id, or a scope shared by sessions (the side-effect
	 * ledger's `scope:` keys); `resetSession(namespace)` forgets it.
	 */
	update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): Awaitable<R>;
	/**
	 * Reads one value written by {@link update}. `bound` is the bound the key is written with, if any: a hint for a
	 * store that keeps bounded keys apart (`MemoryStorage` finds them in one lookup with it); a store may ignore it,
	 * and a read without it still finds every key.
	 */
	read<T>(namespace: string, key: string, bound?: KeyBound): Awaitable<T | undefined>;
	/**
	 * Halts the session: every later call is denied (source `session_halted`, rule `rule`, the reason as its
	 * message) until {@link resetSession}. `rule` is the guard that halted it, kept as {@link SessionCounters.haltedBy}.
	 */
	haltSession(sessionId: string, reason: string, rule?: string): Awaitable<void>;
	/** Forgets everything about the session (counters, halt, guard state). */
	resetSession(sessionId: string): Awaitable<void>;
	/**
	 * What the Warden does when the store is unavailable (an operation throws `StorageUnavailableError`): `closed`
	 * denies the call (source `storage_unavailable`), `open` lets it go on and audits the fact as a would-deny.
	 * @default 'closed'
	 */
	readonly failMode?: 'open' | 'closed';
	/**
	 * The bound, in ms, of all the store work of one call (attempt, guards, reservation; the outcome gets its own):
	 * the Warden fails the call's store work that has not finished by then (`StorageUnavailableError`). Remote stores
	 * set it; an in-process store that answers synchronously leaves it out.
	 * @default undefined (no bound: the store answers synchronously)
	 */
	readonly timeoutMs?: number;
	/**
	 * The keyed fingerprint (e.g. SHA-256 keyed by a secret) guards put in keys and values instead of argument text.
	 * Every process sharing the store must compute the same fingerprint for the same text.
	 * @default a keyed hash under a fixed, public key: argument text never appears, but guessable arguments can be checked
	 * against it; implement it with a secret key
	 */
	fingerprint?(text: string): string;
	/** Releases what the store opened. */
	close?(): Promise<void>;
	/**
	 * Where approval requests live (API §10). Optional: without it, a held call is denied (it cannot wait).
	 * `MemoryStorage` and `RedisStorage` have one.
	 */
	readonly approvals?: ApprovalStore;
}
