import { randomBytes } from 'node:crypto';
import { MemoryApprovalStore } from './MemoryApprovalStore.js';
import { ConfigError } from '../errors/ConfigError.js';
import { SessionStateLostError } from '../errors/SessionStateLostError.js';
import { checkKeys, checkLimit } from '../_internal/validate.js';
import { checkFingerprintKey, keyedFingerprint, type Fingerprint } from './fingerprintKey.js';
import { KeyGroup } from './KeyGroup.js';
import { CountersSnapshot, EVICTED, live, newSession, type Session } from './MemorySession.js';
import type {
	CallOutcome,
	ExecutionLimits,
	KeyBound,
	OutcomeInfo,
	Reservation,
	SessionCounters,
	SessionTotals,
	StorageBackend,
	Update,
} from './StorageBackend.js';

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
	/**
	 * How many sessions to keep; the least recently used one is forgotten past it, so a long-lived process serving
	 * many conversations stays bounded.
	 * @default 10_000
	 */
	readonly maxSessions?: number;
	/**
	 * The secret of the keyed fingerprints that guards store instead of argument text. The store lives in this
	 * process only, so a random key serves; give one to get the same fingerprints across restarts.
	 * @default 32 random bytes per store
	 */
	readonly fingerprintKey?: string | Buffer;
}

/**
 * Evicted session ids remembered, per allowed session: a session that comes back after its eviction is lost state,
 * not a fresh session. Past this many evictions the oldest id is forgotten (ids are small; records are not).
 */
const TOMBSTONES_PER_SESSION = 10;

/**
 * Session state in this process's memory: the default storage. Every operation runs synchronously, so each is atomic
 * within the process. Use `RedisStorage` (`toolwarden/redis`) when several processes serve one session.
 *
 * At most `maxSessions` sessions are kept, the least recently used evicted first. An evicted session that comes back
 * is lost state, never a fresh session with fresh limits: its calls are denied (source `storage_unavailable`, a
 * {@link SessionStateLostError}) until `warden.resetSession(id)`. Size `maxSessions` above the sessions in use.
 *
 * @example
 * ```ts
 * new Warden({ storage: new MemoryStorage({ maxSessions: 1000 }) });
 * ```
 */
export class MemoryStorage implements StorageBackend {
	/** Approval requests (API §10), kept apart from sessions: resetting or evicting a session keeps its requests. */
	readonly approvals = new MemoryApprovalStore();
	readonly #sessions = new Map<string, Session>();
	/** Ids of evicted sessions, oldest first (insertion order). */
	readonly #evicted = new Set<string>();
	readonly #maxSessions: number;
	readonly #fingerprint: Fingerprint;
	/** The most recently used session: already last in the map, no need to move it. */
	#recent: string | undefined;
	/**
	 * Its record: one call makes a dozen store operations on its session (counters, every guard's state), and they
	 * find it here without a map lookup each.
	 */
	#recentSession: Session | undefined;

	constructor(options: MemoryStorageOptions = {}) {
		checkKeys(options, ['maxSessions', 'fingerprintKey'], 'MemoryStorageOptions');
		this.#maxSessions = checkLimit(options.maxSessions, 'MemoryStorageOptions.maxSessions', 10_000);
		if (this.#maxSessions < 1 || this.#maxSessions === Infinity)
			throw new ConfigError('MemoryStorageOptions.maxSessions must be a positive integer.');
		this.#fingerprint = keyedFingerprint(
			checkFingerprintKey(options.fingerprintKey, 'MemoryStorageOptions.fingerprintKey') ?? randomBytes(32),
		);
	}

	fingerprint(text: string): string {
		return this.#fingerprint(text);
	}

	beginAttempt(sessionId: string): SessionCounters {
		const session = live(sessionId, this.#touch(sessionId));
		session.attempts += 1;
		return new CountersSnapshot(session);
	}

	reserveExecution(sessionId: string, toolName: string, limits: ExecutionLimits, force: boolean): Reservation {
		const session = this.#get(sessionId);
		const forTool = session.tools.get(toolName);
		const over =
			session.executions >= limits.maxToolCalls
				? 'maxToolCalls'
				: forTool >= limits.maxForTool
					? 'maxCallsPerTool'
					: null;
		if (over !== null && !force) return { ok: false, limit: over, executions: session.executions };
		session.executions += 1;
		session.tools = session.tools.with(toolName, forTool + 1);
		session.consecutiveDenials = 0;
		return over === null
			? { ok: true, executions: session.executions }
			: { ok: false, limit: over, executions: session.executions };
	}

	recordOutcome(sessionId: string, outcome: CallOutcome, info?: OutcomeInfo): number {
		const session = this.#get(sessionId);
		if (info?.rule !== undefined) session.interventions[info.rule] = (session.interventions[info.rule] ?? 0) + 1;
		switch (outcome) {
			case 'denied':
				session.denied++;
				return ++session.consecutiveDenials;
			case 'replayed':
				session.replayed++;
				session.consecutiveDenials = 0;
				return 0;
			case 'failed':
				session.failed++;
				if (info?.sideEffect === true) session.sideEffectsExecuted++;
				return ++session.consecutiveFailures;
			case 'succeeded':
				if (info?.sideEffect === true) session.sideEffectsExecuted++;
				session.consecutiveFailures = 0;
				return 0;
		}
	}

	totals(sessionId: string): SessionTotals {
		const s = this.#peek(sessionId) ?? newSession();
		return {
			attempts: s.attempts,
			executions: s.executions,
			consecutiveFailures: s.consecutiveFailures,
			consecutiveDenials: s.consecutiveDenials,
			halted: s.halted,
			haltedBy: s.haltedBy,
			toolExecutions: s.tools.record,
			failed: s.failed,
			denied: s.denied,
			replayed: s.replayed,
			sideEffectsExecuted: s.sideEffectsExecuted,
			interventions: { ...s.interventions },
		};
	}

	update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): R {
		const session = this.#get(namespace);
		const { values } = session;
		// A bounded key lives in its group (values beside keys, see KeyGroup); any other key, or a key first written
		// without a bound, in `values`.
		if (bound === undefined || values.has(key)) {
			const current = values.get(key) as T | undefined;
			if (current === undefined && session.groups.size > 0) {
				const found = this.#inGroups(session, key);
				if (found !== undefined) return updateIn(found.group, found.slot, fn);
			}
			const { value, result } = fn(current);
			// An unchanged value is not a write.
			if (value === current) return result;
			if (value === undefined) values.delete(key);
			else values.set(key, value);
			return result;
		}
		let group = session.groups.get(bound.group);
		if (group === undefined) session.groups.set(bound.group, (group = new KeyGroup(Math.max(1, bound.max))));
		const slot = group.slotOf(key);
		if (slot !== undefined) return updateIn(group, slot, fn);
		const { value, result } = fn(undefined);
		// Age is by first write: only inserts and deletes touch the ring, rewrites keep their slot.
		if (value !== undefined) group.insert(key, value);
		return result;
	}

	/**
	 * Reads one value. `bound`, the group the key is written with, finds it in one lookup; without it, every group is
	 * looked in too.
	 */
	read<T>(namespace: string, key: string, bound?: KeyBound): T | undefined {
		const session = this.#peek(namespace);
		if (session === undefined) return undefined;
		if (bound !== undefined) {
			const group = session.groups.get(bound.group);
			const slot = group?.slotOf(key);
			if (slot !== undefined) return group?.valueAt(slot) as T | undefined;
		}
		const value = session.values.get(key) as T | undefined;
		if (value !== undefined || bound !== undefined || session.groups.size === 0) return value;
		const found = this.#inGroups(session, key);
		return found === undefined ? undefined : (found.group.valueAt(found.slot) as T | undefined);
	}

	#inGroups(session: Session, key: string): { group: KeyGroup; slot: number } | undefined {
		for (const group of session.groups.values()) {
			const slot = group.slotOf(key);
			if (slot !== undefined) return { group, slot };
		}
		return undefined;
	}

	haltSession(sessionId: string, reason: string, rule?: string): void {
		const session = this.#get(sessionId);
		session.halted = reason;
		session.haltedBy = rule ?? null;
	}

	resetSession(sessionId: string): void {
		this.#sessions.delete(sessionId);
		this.#evicted.delete(sessionId);
		if (this.#recent === sessionId) this.#recent = this.#recentSession = undefined;
	}

	/** How many sessions are held (for tests and monitoring). */
	get size(): number {
		return this.#sessions.size;
	}

	/** The session for an operation that writes (created when new); throws when its state was lost. */
	#get(sessionId: string): Session {
		if (sessionId === this.#recent && this.#recentSession !== undefined) return live(sessionId, this.#recentSession);
		return live(sessionId, this.#sessions.get(sessionId) ?? this.#touch(sessionId));
	}

	/** The session for a read, without creating it; throws when its state was lost. */
	#peek(sessionId: string): Session | undefined {
		const session =
			sessionId === this.#recent && this.#recentSession !== undefined
				? this.#recentSession
				: this.#sessions.get(sessionId);
		if (session !== undefined) return live(sessionId, session);
		if (this.#evicted.has(sessionId)) throw new SessionStateLostError(sessionId, EVICTED);
		return undefined;
	}

	#touch(sessionId: string): Session {
		let session = this.#sessions.get(sessionId);
		if (session !== undefined && sessionId === this.#recent) return session;
		this.#recent = sessionId;
		if (session !== undefined) {
			// Map keeps insertion order: re-inserting makes it the most recently used.
			this.#sessions.delete(sessionId);
		} else {
			session = newSession();
			// A session evicted while in use comes back as lost state (until reset), never with fresh limits.
			if (this.#evicted.delete(sessionId)) session.lost = EVICTED;
			if (this.#sessions.size >= this.#maxSessions) this.#evict(this.#sessions.keys().next().value as string);
		}
		this.#sessions.set(sessionId, session);
		this.#recentSession = session;
		return session;
	}

	#evict(sessionId: string): void {
		this.#sessions.delete(sessionId);
		this.#evicted.add(sessionId);
		if (this.#evicted.size > this.#maxSessions * TOMBSTONES_PER_SESSION)
			this.#evicted.delete(this.#evicted.values().next().value as string);
	}
}

/** Updates the value in a group's slot: rewritten in place, or deleted (freeing the slot). */
function updateIn<T, R>(group: KeyGroup, slot: number, fn: Update<T, R>): R {
	const current = group.valueAt(slot) as T | undefined;
	const { value, result } = fn(current);
	if (value === current) return result;
	if (value === undefined) group.removeAt(slot);
	else group.setAt(slot, value);
	return result;
}
