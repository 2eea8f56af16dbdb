import type { Contract } from '../contracts/Contract.js';
import { checkContractOptions } from '../contracts/defineContract.js';
import { brandRule, type ContractRule } from '../contracts/rules.js';
import { checkKeys } from '../_internal/validate.js';
import type { Guard, GuardOptions } from './Guard.js';

/** A behaviour guard as the pipeline holds it: a contract of type `behavior` with hooks. */
export interface GuardRule extends ContractRule {
	readonly guard: Guard;
}

export function isGuardRule(rule: ContractRule): rule is GuardRule {
	return rule.type === 'behavior' && (rule as Partial<GuardRule>).guard !== undefined;
}

/**
 * Validates a guard factory's options (unknown keys are a ConfigError, like every option in toolwarden) and returns
 * them as a record to read from.
 */
export function guardOptions(options: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
	const record = checkKeys(options ?? {}, [...keys, 'mode'], `${name} options`);
	checkContractOptions(record['mode'] === undefined ? undefined : { mode: record['mode'] }, name);
	return record;
}

/**
 * Makes the Contract a guard factory returns. The rule's name is the factory's name (`repeatGuard`). A guard without
 * `pre` matches no call: it acts only on the session (a denial streak, the report); one with `watches` matches the
 * tools it watches (the pipeline resolves rules once per tool name).
 */
export function defineGuard(name: string, guard: Guard, options: GuardOptions | Record<string, unknown>): Contract {
	const rule: GuardRule = {
		type: 'behavior',
		name,
		mode: (options as GuardOptions).mode,
		matches:
			guard.pre === undefined
				? () => false
				: guard.watches === undefined
					? () => true
					: (toolName) => guard.watches?.(toolName) === true,
		when: undefined,
		check: () => {
			throw new Error(`${name} is evaluated through its guard hooks`);
		},
		guard,
	};
	return brandRule(rule, 'contract');
}
