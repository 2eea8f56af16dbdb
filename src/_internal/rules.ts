import type { Contract, ContractType, Mode } from '../contracts/Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { HookDecision } from '../hooks/HookDecision.js';

const RULE = Symbol.for('toolwarden.rule.v1');

/** What the pipeline needs of every contract and hook. Contracts and hooks are frozen objects of this shape. */
export interface Rule {
	readonly name: string;
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
	readonly fn: (call: ToolEnvelope, outcome?: HookOutcome) => HookDecision | Promise<HookDecision> | void | Promise<void>;
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

export function nameOf(fn: unknown): string {
	const name = typeof fn === 'function' ? fn.name : '';
	// Bound functions are named "bound x"; arrow functions assigned to nothing have no name.
	return name === '' ? 'anonymous' : name.replace(/^bound /, '');
}
