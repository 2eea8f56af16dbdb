import type { DenialRecord } from '../decisions/decisions.js';
import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';

/** The storage key (per session namespace) of the would-deny tally. */
export const WOULD_DENY_KEY = 'wouldDeny';

/** What {@link RunReport} shows of the calls that would have been denied (observe mode, observe-mode contracts). */
export interface WouldDenyTally {
	/** Calls with at least one would-deny. */
	readonly calls: number;
	/** Would-denies by rule; a call failing several rules counts once for each. */
	readonly byRule: Readonly<Record<string, number>>;
}

/**
 * Counts one call's would-denies. Kept through `StorageBackend.update` rather than the session totals so that every
 * store (a custom one too) counts them without a new method, and a shared store counts them atomically. It costs a
 * store round trip only for calls that have a would-deny.
 */
export function recordWouldDeny(
	storage: StorageBackend,
	sessionId: string,
	wouldDeny: readonly DenialRecord[],
): Awaitable<void> {
	return storage.update<WouldDenyTally, void>(sessionId, WOULD_DENY_KEY, (current) => {
		// No prototype: a rule may be named anything, `__proto__` included.
		const byRule = Object.assign(Object.create(null) as Record<string, number>, current?.byRule);
		for (const rule of new Set(wouldDeny.map((denial) => denial.rule))) byRule[rule] = (byRule[rule] ?? 0) + 1;
		return { value: { calls: (current?.calls ?? 0) + 1, byRule }, result: undefined };
	});
}

/** The session's tally (zero when nothing would have been denied). */
export async function readWouldDeny(storage: StorageBackend, sessionId: string): Promise<WouldDenyTally> {
	const tally = await storage.read<WouldDenyTally>(sessionId, WOULD_DENY_KEY);
	const byRule = Object.assign(Object.create(null) as Record<string, number>, tally?.byRule);
	return { calls: tally?.calls ?? 0, byRule };
}
