import { SessionStateLostError } from '../errors/SessionStateLostError.js';
import type { KeyGroup } from './KeyGroup.js';

/** Why a session that comes back after its eviction from `MemoryStorage` is lost state. */
export const EVICTED = 'was evicted from memory (more than maxSessions sessions were in use) and came back';

/** One session's record in `MemoryStorage`: its counters, its report totals and its guards' state. */
export interface Session {
	attempts: number;
	executions: number;
	consecutiveFailures: number;
	consecutiveDenials: number;
	halted: string | null;
	haltedBy: string | null;
	toolExecutions: Readonly<Record<string, number>>;
	failed: number;
	denied: number;
	replayed: number;
	sideEffectsExecuted: number;
	interventions: Record<string, number>;
	/** Guard state, by key (see `update`). */
	values: Map<string, unknown>;
	/** Bounded key groups (see `KeyBound`). */
	groups: Map<string, KeyGroup>;
	/** Why the session's state was lost, or null: every operation on it throws until `resetSession`. */
	lost: string | null;
}

/** The session, unless its state was lost. */
export function live(sessionId: string, session: Session): Session {
	if (session.lost !== null) throw new SessionStateLostError(sessionId, session.lost);
	return session;
}

/** A new session's record. */
export function newSession(): Session {
	return {
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
		interventions: Object.create(null) as Record<string, number>,
		values: new Map(),
		groups: new Map(),
		lost: null,
	};
}

/**
 * `counts` with `toolName`'s count set, as a new object: snapshots of the counters share the old one (copy-on-write).
 * A key-by-key copy keeps the object's fast shape; a spread with a computed key costs several times more. A
 * `__proto__` key (tool names come from the model) must be defined, not assigned: that case takes the spread.
 */
export function withCount(
	counts: Readonly<Record<string, number>>,
	toolName: string,
	count: number,
): Record<string, number> {
	if (toolName === '__proto__' || Object.hasOwn(counts, '__proto__')) return { ...counts, [toolName]: count };
	const next: Record<string, number> = {};
	for (const key in counts) next[key] = counts[key] as number;
	next[toolName] = count;
	return next;
}
