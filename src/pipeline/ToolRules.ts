import type { ContractRule, HookRule, Rule } from '../contracts/rules.js';
import type { ContractRecord, PreDecision } from '../decisions/decisions.js';
import type { Mode } from '../decisions/Mode.js';
import type { ExecutionLimits } from '../storage/StorageBackend.js';
import { isGuardRule, type GuardRule } from '../guards/defineGuard.js';

/** The rules that apply to one tool name, resolved once per name. */
export interface ToolRules {
	/** Before-hooks, preconditions and session rules, in evaluation order (what the pipeline walks). */
	readonly steps: readonly Step[];
	/** The contract records of `steps` if every rule passes, in order: what most calls record (shared, frozen). */
	readonly passed: readonly ContractRecord[];
	readonly before: readonly HookRule[];
	readonly preconditions: readonly ContractRule[];
	readonly sessions: readonly ContractRule[];
	readonly postconditions: readonly ContractRule[];
	readonly after: readonly HookRule[];
	/** The execution limits a reservation for this tool checks. */
	readonly bounds: ExecutionLimits;
	/** The decision of a call that every rule allowed with nothing to record beyond `passed` (shared, frozen). */
	readonly allowed: PreDecision;
}

/** One pre-execution step of a tool's rules, in evaluation order. */
export type Step =
	| { readonly kind: 'hook'; readonly hook: HookRule }
	| { readonly kind: 'precondition'; readonly rule: ContractRule; readonly passed: ContractRecord }
	| { readonly kind: 'session'; readonly rule: ContractRule; readonly passed: ContractRecord }
	| { readonly kind: 'guard'; readonly rule: GuardRule; readonly passed: ContractRecord };

export const NO_RULES: readonly never[] = Object.freeze([]);
const MAX_CACHED_TOOLS = 1024;

/** The {@link ToolRules} of each tool name, resolved on first use and cached (a bounded number of names). */
export class RuleCache {
	readonly #byTool = new Map<string, ToolRules>();

	constructor(
		readonly contracts: readonly ContractRule[],
		readonly hooks: readonly HookRule[],
		/** The record of a rule that passed (one frozen object per rule). */
		readonly passedRecord: (rule: ContractRule) => ContractRecord,
		/** The session's limit of executions, and each tool's. */
		readonly limits: {
			readonly maxToolCalls: number;
			readonly maxCallsPerTool: Readonly<Record<string, number>>;
		},
		/** The pipeline's mode, as its decisions carry it. */
		readonly mode: Mode,
	) {}

	for(toolName: string): ToolRules {
		// The lookup stays apart from the resolution: its closures would make every call allocate their context.
		return this.#byTool.get(toolName) ?? this.#resolve(toolName);
	}

	#resolve(toolName: string): ToolRules {
		const matching = <R extends Rule>(rules: readonly R[]): readonly R[] => {
			const found = rules.filter((rule) => rule.matches(toolName));
			return found.length === 0 ? NO_RULES : found;
		};
		const { contracts, hooks } = this;
		const before = matching(hooks.filter((h) => h.kind === 'before'));
		const preconditions = matching(contracts.filter((c) => c.type === 'precondition'));
		const sessions = matching(contracts.filter((c) => c.type === 'session_contract' || c.type === 'behavior'));
		const record = this.passedRecord;
		const steps: Step[] = [
			...before.map((hook) => ({ kind: 'hook' as const, hook })),
			...preconditions.map((rule) => ({ kind: 'precondition' as const, rule, passed: record(rule) })),
			...sessions.map((rule) =>
				isGuardRule(rule)
					? { kind: 'guard' as const, rule, passed: record(rule) }
					: { kind: 'session' as const, rule, passed: record(rule) },
			),
		];
		const passed = steps.flatMap((step) => (step.kind === 'hook' ? [] : [step.passed]));
		const passedRecords = passed.length === 0 ? NO_RULES : Object.freeze(passed);
		const rules: ToolRules = {
			steps,
			passed: passedRecords,
			allowed: Object.freeze({
				action: 'allow',
				mode: this.mode,
				hooks: NO_RULES,
				contracts: passedRecords,
				wouldDeny: NO_RULES,
			}),
			before,
			preconditions,
			sessions,
			postconditions: matching(contracts.filter((c) => c.type === 'postcondition')),
			after: matching(hooks.filter((h) => h.kind === 'after')),
			bounds: Object.freeze({
				maxToolCalls: this.limits.maxToolCalls,
				maxForTool: Object.hasOwn(this.limits.maxCallsPerTool, toolName)
					? (this.limits.maxCallsPerTool[toolName] as number)
					: Infinity,
			}),
		};
		// Tool names come from the model: cache a bounded number of them.
		if (this.#byTool.size < MAX_CACHED_TOOLS) this.#byTool.set(toolName, rules);
		return rules;
	}
}
