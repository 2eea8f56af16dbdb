import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import { brandRule, type ContractRule } from '../contracts/rules.js';
import { checkKeys, checkLimit } from '../_internal/validate.js';

/** Options of {@link denialStreak}. */
export interface DenialStreakOptions {
	/**
	 * Consecutive denials after which the session halts.
	 * @default 5
	 */
	readonly halt?: number;
}

const halts = new WeakMap<Contract, number>();

/** @internal how many consecutive denials halt the session, when `contract` was made by {@link denialStreak}. */
export function haltAfterOf(contract: Contract): number | undefined {
	return halts.get(contract);
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
	// Not evaluated per call: the Warden applies it when it records a denial.
	const rule: ContractRule = {
		type: 'behavior',
		name: 'denialStreak',
		mode: undefined,
		matches: () => false,
		when: undefined,
		check: () => {
			throw new Error('denialStreak is applied by the Warden when it records a denial');
		},
	};
	const contract = brandRule(rule, 'contract');
	halts.set(contract, halt);
	return contract;
}
