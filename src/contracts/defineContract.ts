import type { ContractOptions, ContractType, Mode } from './Contract.js';
import { compileSelector, type ToolSelector } from './ToolSelector.js';
import { ConfigError } from '../errors/ConfigError.js';
import { methodDecorator } from './decoratorMeta.js';
import { brandRule, ruleName, type ContractRule } from './rules.js';
import { checkFunction, checkKeys, checkOneOf } from '../_internal/validate.js';

export const MODES: readonly Mode[] = ['enforce', 'observe'];
const OPTION_KEYS = ['name', 'when', 'mode'] as const;

/** What a contract decorator records for a method; turned into a bound contract per instance. */
export interface ContractMeta {
	readonly type: ContractType;
	readonly selector: ToolSelector | undefined;
	readonly options: ContractOptions;
}

export function checkContractOptions(options: unknown, where: string): ContractOptions {
	if (options === undefined) return {};
	const o = checkKeys(options, OPTION_KEYS, `${where} options`);
	if (o['name'] !== undefined && (typeof o['name'] !== 'string' || o['name'] === ''))
		throw new ConfigError(`${where}: options.name must be a non-empty string.`);
	if (o['when'] !== undefined) checkFunction(o['when'], `${where}: options.when`);
	if (o['mode'] !== undefined) checkOneOf(o['mode'], MODES, `${where}: options.mode`);
	return options as ContractOptions;
}

/** Builds a contract rule (validated, frozen, branded). */
export function defineContract(
	type: ContractType,
	selector: ToolSelector | undefined,
	check: unknown,
	options: unknown,
	where: string,
): ContractRule {
	checkFunction(check, `${where}: the check`);
	const checked = checkContractOptions(options, where);
	return brandRule<ContractRule>(
		{
			type,
			...ruleName(checked.name, check, where, selector),
			mode: checked.mode,
			matches: selector === undefined ? () => true : compileSelector(selector, where),
			when: checked.when,
			check: check as ContractRule['check'],
		},
		'contract',
	);
}

/** The decorator form: validates now (at class definition) and records the method for `Warden` to bind later. */
export function contractDecorator(
	label: string,
	type: ContractType,
	selector: ToolSelector | undefined,
	options: unknown,
) {
	const checked = checkContractOptions(options, label);
	if (selector !== undefined) compileSelector(selector, label);
	const meta: ContractMeta = Object.freeze({ type, selector, options: checked });
	return methodDecorator(label, 'contract', meta, 'toolwarden:contract');
}
