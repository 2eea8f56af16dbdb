import { SessionStateLostError } from '../errors/SessionStateLostError.js';
import type { KeyGroup } from './KeyGroup.js';
import type { SessionCounters } from './StorageBackend.js';
import { ToolCounts } from './ToolCounts.js';

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
	/** Executions per tool; replaced by a new version on every write (snapshots keep theirs). */
	tools: ToolCounts;
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
		tools: new ToolCounts(),
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
 * The counters a call begins with: a snapshot (later calls of the session change the live record while this one is
 * evaluated). Per-tool counts are read from the session's version of them at the snapshot: `toolCount` reads one (what
 * session contracts use), `toolExecutions` makes their record on first read.
 */
export class CountersSnapshot implements SessionCounters {
	readonly attempts: number;
	readonly executions: number;
	readonly consecutiveFailures: number;
	readonly consecutiveDenials: number;
	readonly halted: string | null;
	readonly haltedBy: string | null;
	readonly #tools: ToolCounts;

	constructor(session: Session) {
		this.attempts = session.attempts;
		this.executions = session.executions;
		this.consecutiveFailures = session.consecutiveFailures;
		this.consecutiveDenials = session.consecutiveDenials;
		this.halted = session.halted;
		this.haltedBy = session.haltedBy;
		this.#tools = session.tools;
	}

	get toolExecutions(): Readonly<Record<string, number>> {
		return this.#tools.record;
	}

	/** The executions of one tool at the snapshot. */
	toolCount(toolName: string): number {
		return this.#tools.get(toolName);
	}
}
