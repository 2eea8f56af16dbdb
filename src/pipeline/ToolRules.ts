import type { ContractRule, HookRule, Rule } from '../contracts/rules.js';
import { isGuardRule, type GuardRule } from '../guards/defineGuard.js';

/** The rules that apply to one tool name, resolved once per name. */
export interface ToolRules {
	/** Before-hooks, preconditions and session rules, in evaluation order (what the pipeline walks). */
	readonly steps: readonly Step[];
	readonly before: readonly HookRule[];
	readonly preconditions: readonly ContractRule[];
	readonly sessions: readonly ContractRule[];
	readonly postconditions: readonly ContractRule[];
	readonly after: readonly HookRule[];
}

/** One pre-execution step of a tool's rules, in evaluation order. */
export type Step =
	| { readonly kind: 'hook'; readonly hook: HookRule }
	| { readonly kind: 'precondition'; readonly rule: ContractRule }
	| { readonly kind: 'session'; readonly rule: ContractRule }
	| { readonly kind: 'guard'; readonly rule: GuardRule };

export const NO_RULES: readonly never[] = Object.freeze([]);
const MAX_CACHED_TOOLS = 1024;

/** The {@link ToolRules} of each tool name, resolved on first use and cached (a bounded number of names). */
export class RuleCache {
	readonly #byTool = new Map<string, ToolRules>();

	constructor(
		readonly contracts: readonly ContractRule[],
		readonly hooks: readonly HookRule[],
	) {}

	for(toolName: string): ToolRules {
		const cached = this.#byTool.get(toolName);
		if (cached !== undefined) return cached;
		const matching = <R extends Rule>(rules: readonly R[]): readonly R[] => {
			const found = rules.filter((rule) => rule.matches(toolName));
			return found.length === 0 ? NO_RULES : found;
		};
		const { contracts, hooks } = this;
		const before = matching(hooks.filter((h) => h.kind === 'before'));
		const preconditions = matching(contracts.filter((c) => c.type === 'precondition'));
		const sessions = matching(contracts.filter((c) => c.type === 'session_contract' || c.type === 'behavior'));
		const steps: Step[] = [
			...before.map((hook) => ({ kind: 'hook' as const, hook })),
			...preconditions.map((rule) => ({ kind: 'precondition' as const, rule })),
			...sessions.map((rule) =>
				isGuardRule(rule) ? { kind: 'guard' as const, rule } : { kind: 'session' as const, rule },
			),
		];
		const rules: ToolRules = {
			steps,
			before,
			preconditions,
			sessions,
			postconditions: matching(contracts.filter((c) => c.type === 'postcondition')),
			after: matching(hooks.filter((h) => h.kind === 'after')),
		};
		// Tool names come from the model: cache a bounded number of them.
		if (this.#byTool.size < MAX_CACHED_TOOLS) this.#byTool.set(toolName, rules);
		return rules;
	}
}
