import type { Contract, ContractType, Mode } from './Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { HookDecision } from '../hooks/HookDecision.js';

const RULE = Symbol.for('toolwarden.rule.v1');

/** What the pipeline needs of every contract and hook. Contracts and hooks are frozen objects of this shape. */
export interface Rule {
	readonly name: string;
	/**
	 * Set when the rule has neither an explicit name nor a function name: `name` is then derived from the kind and
	 * selector (`precondition(read_file)`), and the Warden appends the rule's position when it registers it.
	 */
	readonly positional?: true;
	readonly mode: Mode | undefined;
	readonly matches: (toolName: string) => boolean;
	readonly when: ((call: ToolEnvelope) => boolean | Promise<boolean>) | undefined;
}

export interface ContractRule extends Rule, Contract {
	readonly type: ContractType;
	/** precondition: (call); postcondition: (call, result); session contract: (session, call). */
	readonly check: (a: unknown, b?: unknown) => unknown;
}

export type HookKind = 'before' | 'after';

export interface HookRule extends Rule {
	readonly kind: HookKind;
	readonly fn: (
		call: ToolEnvelope,
		outcome?: HookOutcome,
	) => HookDecision | Promise<HookDecision> | void | Promise<void>;
}

/** What an after-hook learns of the tool run. */
export interface HookOutcome {
	readonly ok: boolean;
	readonly result?: unknown;
	readonly error?: unknown;
}

export function brandRule<T extends object>(rule: T, tag: 'contract' | 'hook'): T {
	Object.defineProperty(rule, RULE, { value: tag });
	return Object.freeze(rule);
}

export function isContractRule(value: unknown): value is ContractRule {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RULE] === 'contract';
}

export function isHookRule(value: unknown): value is HookRule {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RULE] === 'hook';
}

/** A function's own name, or undefined when it has none (an arrow function passed inline). */
export function nameOf(fn: unknown): string | undefined {
	const name = typeof fn === 'function' ? fn.name.replace(/^bound /, '') : '';
	// Bound functions are named "bound x"; arrow functions assigned to nothing have no name.
	return name === '' ? undefined : name;
}

/**
 * A rule's name (API §4/§5 as amended by issue 15): the `name` option, else the function's own name, else one derived
 * from the kind and selector (`precondition(read_file)`, `sessionContract`) that registration completes with the
 * rule's position (`precondition(read_file)#2`). Never `anonymous`: two unnamed rules must stay apart in reports.
 */
export function ruleName(
	explicit: string | undefined,
	fn: unknown,
	kind: string,
	selector: string | readonly string[] | undefined,
): { name: string; positional?: true } {
	const name = explicit ?? nameOf(fn);
	if (name !== undefined) return { name };
	const selected = selector === undefined ? '' : `(${typeof selector === 'string' ? selector : selector.join(',')})`;
	return { name: `${kind}${selected}`, positional: true };
}

/** Completes a derived name with the rule's 1-based position in `contracts` or `hooks` (see {@link ruleName}). */
export function placeRule<T extends Rule>(rule: T, position: number, tag: 'contract' | 'hook'): T {
	if (rule.positional !== true) return rule;
	const { positional: _placed, ...rest } = rule;
	return brandRule({ ...rest, name: `${rule.name}#${position}` } as T, tag);
}
