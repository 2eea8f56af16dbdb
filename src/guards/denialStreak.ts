import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import { defineGuard } from './defineGuard.js';
import { checkKeys, checkLimit } from '../_internal/validate.js';

/** Options of {@link denialStreak}. */
export interface DenialStreakOptions {
	/**
	 * Consecutive denials after which the session halts.
	 * @default 5
	 */
	readonly halt?: number;
}

/** The denial every call of a halted session gets. */
export const haltMessage = (halt: number): string =>
	`This session is halted after ${halt} denied calls in a row. Stop calling tools and tell the user what you were trying to do; a person must reset the session to continue.`;

/**
 * Stops an agent from retrying denied calls forever: after `halt` consecutive denials the session halts, and every
 * later call is denied (source `session_halted`, rule `denialStreak`) until `warden.resetSession(id)`. A call that runs
 * (or is replayed) ends the streak.
 *
 * @example
 * ```ts
 * new Warden({ contracts: [denialStreak({ halt: 5 })] });
 * ```
 */
export function denialStreak(options: DenialStreakOptions = {}): Contract {
	const o = checkKeys(options, ['halt'], 'denialStreak options');
	const halt = checkLimit(o['halt'], 'denialStreak options.halt', 5);
	if (halt < 1 || halt === Infinity) throw new ConfigError('denialStreak options.halt must be a positive integer.');
	// Never asked before a call: it acts when the Warden records a denial.
	return defineGuard(
		'denialStreak',
		{ onDenial: (_ctx, streak) => (streak === halt ? haltMessage(halt) : undefined) },
		{},
	);
}
