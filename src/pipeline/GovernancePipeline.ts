import type { Mode } from '../contracts/Contract.js';
import { isVerdict, type Verdict } from '../contracts/Verdict.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { isHookDecision } from '../hooks/HookDecision.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import type { ContractRule, HookOutcome, HookRule, Rule } from '../_internal/rules.js';
import { capMessage, describeValue, errorMessage, errorName, isThenable } from '../_internal/text.js';
import { DecisionBuilder } from './DecisionBuilder.js';
import type { ContractRecord, DecisionSource, PostDecision, PreDecision } from './decisions.js';
import type { SessionView } from './SessionView.js';
import { limitMessages } from './limitMessages.js';

/** The limits of API §5, validated. */
export interface Limits {
	readonly maxAttempts: number;
	readonly maxToolCalls: number;
	readonly maxCallsPerTool: Readonly<Record<string, number>>;
}

/** Everything the pipeline evaluates, in registration order. */
export interface PipelineConfig {
	readonly mode: Mode;
	readonly limits: Limits;
	readonly contracts: readonly ContractRule[];
	readonly hooks: readonly HookRule[];
	readonly storage: StorageBackend;
	readonly redaction: RedactionPolicy;
}

/** What the pre-execution steps decided, and the session's executions after them. */
export interface PreResult {
	readonly decision: PreDecision;
	readonly executions: number;
}

/** The rules that apply to one tool name, resolved once per name. */
interface ToolRules {
	readonly before: readonly HookRule[];
	readonly preconditions: readonly ContractRule[];
	readonly sessions: readonly ContractRule[];
	readonly postconditions: readonly ContractRule[];
	readonly after: readonly HookRule[];
}

const NO_RULES: readonly never[] = Object.freeze([]);
const CLEAN_POST: PostDecision = Object.freeze({ ok: true, postconditionsPassed: true, warnings: NO_RULES, contracts: NO_RULES });
const FAILED_POST: PostDecision = Object.freeze({ ok: false, postconditionsPassed: true, warnings: NO_RULES, contracts: NO_RULES });
const MAX_CACHED_TOOLS = 1024;

/** A check's answer: a verdict, or why the check itself is broken (it fails closed). */
type Outcome = { readonly verdict: Verdict } | { readonly broken: string };

/**
 * Evaluates calls against the rules: the pre-execution steps of API §5 in order (attempt limit, halted session,
 * before-hooks, preconditions, session contracts, execution limits), and after a run the postconditions and
 * after-hooks. Stateless apart from the session store it reserves executions in.
 */
export class GovernancePipeline {
	readonly mode: Mode;
	readonly #config: PipelineConfig;
	readonly #byTool = new Map<string, ToolRules>();
	/** A passing record is the same every time: one frozen object per rule, not one per call. */
	readonly #passed = new WeakMap<ContractRule, ContractRecord>();

	constructor(config: PipelineConfig) {
		this.mode = config.mode;
		this.#config = config;
		for (const rule of config.contracts) this.#passed.set(rule, Object.freeze({ name: rule.name, type: rule.type, passed: true }));
	}

	/**
	 * The pre-execution steps. Rules never throw out of here (they fail closed); only the session store can.
	 * `executions` is the session's count after this call's reservation (unchanged when it was not reserved).
	 */
	async pre(call: ToolEnvelope, counters: SessionCounters): Promise<PreResult> {
		const { limits, storage } = this.#config;
		const decision = new DecisionBuilder(this.mode);
		const stop = () => ({ decision: decision.finish(), executions: counters.executions });
		if (counters.attempts > limits.maxAttempts && decision.fail('attempt_limit', 'maxAttempts', limitMessages.attempts(limits.maxAttempts))) return stop();
		if (counters.halted !== null && decision.fail('session_halted', 'denialStreak', counters.halted)) return stop();
		const rules = this.#rulesFor(call.toolName);
		for (const hook of rules.before) if (await this.#beforeHook(hook, call, decision)) return stop();
		for (const rule of rules.preconditions) if (await this.#contract(rule, call, undefined, 'precondition', decision)) return stop();
		if (rules.sessions.length > 0) {
			const view = sessionView(call.sessionId, counters);
			for (const rule of rules.sessions) if (await this.#contract(rule, call, view, rule.type === 'behavior' ? 'behavior' : 'session_contract', decision)) return stop();
		}
		const maxForTool = limits.maxCallsPerTool[call.toolName] ?? Infinity;
		const reservation = await storage.reserveExecution(call.sessionId, call.toolName, { maxToolCalls: limits.maxToolCalls, maxForTool }, decision.observing);
		if (!reservation.ok) {
			const perTool = reservation.limit === 'maxCallsPerTool';
			const message = perTool ? limitMessages.perTool(call.toolName, maxForTool) : limitMessages.total(limits.maxToolCalls);
			decision.fail(perTool ? 'tool_limit' : 'execution_limit', reservation.limit, message);
		}
		return { decision: decision.finish(), executions: reservation.executions };
	}

	async post(call: ToolEnvelope, outcome: HookOutcome): Promise<PostDecision> {
		const rules = this.#rulesFor(call.toolName);
		if (rules.after.length === 0 && (rules.postconditions.length === 0 || !outcome.ok)) return outcome.ok ? CLEAN_POST : FAILED_POST;
		const contracts: ContractRecord[] = [];
		const warnings: string[] = [];
		let passed = true;
		if (outcome.ok) {
			for (const rule of rules.postconditions) {
				const result = await this.#run(rule, call, () => rule.check(call, outcome.result));
				if (result === undefined) continue;
				const record = this.#record(rule, result, false);
				contracts.push(record);
				if (!record.passed) {
					passed = false;
					warnings.push(record.message ?? rule.name);
				}
			}
		}
		for (const hook of rules.after) {
			try {
				if (!(await this.#applies(hook, call))) continue;
				const done = hook.fn(call, outcome);
				if (isThenable(done)) await done;
			} catch (error) {
				warnings.push(this.#config.redaction.redactText(`After-hook "${hook.name}" threw ${errorName(error)}: ${errorMessage(error)}`));
			}
		}
		return { ok: outcome.ok, postconditionsPassed: passed, warnings, contracts };
	}

	/** Returns true when the hook blocks the call. */
	async #beforeHook(hook: HookRule, call: ToolEnvelope, decision: DecisionBuilder): Promise<boolean> {
		let answer: unknown;
		try {
			if (!(await this.#applies(hook, call))) return false;
			answer = hook.fn(call);
			if (isThenable(answer)) answer = await answer;
		} catch (error) {
			return this.#broken(decision, hook.name, `Hook "${hook.name}" threw ${errorName(error)}: ${errorMessage(error)}`, undefined);
		}
		if (!isHookDecision(answer)) {
			return this.#broken(decision, hook.name, `Hook "${hook.name}" returned ${describeValue(answer)} instead of HookDecision.allow() or HookDecision.deny(reason)`, undefined);
		}
		if (answer.allowed) {
			decision.hooks.push({ name: hook.name, result: 'allow' });
			return false;
		}
		const reason = this.#config.redaction.redactText(answer.reason ?? hook.name);
		decision.hooks.push({ name: hook.name, result: 'deny', reason });
		return decision.fail('hook', hook.name, reason);
	}

	/** Evaluates one precondition or session contract; returns true when it blocks the call. */
	async #contract(rule: ContractRule, call: ToolEnvelope, view: SessionView | undefined, source: DecisionSource, decision: DecisionBuilder): Promise<boolean> {
		const outcome = await this.#run(rule, call, () => (view === undefined ? rule.check(call) : rule.check(view, call)));
		if (outcome === undefined) return false;
		const observed = this.mode === 'observe' || rule.mode === 'observe';
		const record = this.#record(rule, outcome, observed);
		decision.contracts.push(record);
		if (record.passed) return false;
		const reason = record.message ?? rule.name;
		return decision.fail('broken' in outcome ? 'policy_error' : source, rule.name, reason, rule.mode === 'observe');
	}

	/** Runs `when`, then the check; undefined when `when` says the rule does not apply. Never throws. */
	async #run(rule: ContractRule, call: ToolEnvelope, check: () => unknown): Promise<Outcome | undefined> {
		let answer: unknown;
		try {
			if (!(await this.#applies(rule, call))) return undefined;
			answer = check();
			if (isThenable(answer)) answer = await answer;
		} catch (error) {
			return { broken: `Contract "${rule.name}" threw ${errorName(error)}: ${errorMessage(error)}` };
		}
		return isVerdict(answer) ? { verdict: answer } : { broken: `Contract "${rule.name}" returned ${describeValue(answer)} instead of a Verdict (use Verdict.pass() or Verdict.fail(message))` };
	}

	async #applies(rule: Rule, call: ToolEnvelope): Promise<boolean> {
		if (rule.when === undefined) return true;
		let applies: unknown = rule.when(call);
		if (isThenable(applies)) applies = await applies;
		return applies === true;
	}

	#record(rule: ContractRule, outcome: Outcome, observed: boolean): ContractRecord {
		if ('verdict' in outcome && outcome.verdict.passed) {
			return outcome.verdict.metadata === undefined ? (this.#passed.get(rule) as ContractRecord) : { name: rule.name, type: rule.type, passed: true, metadata: this.#config.redaction.redact(outcome.verdict.metadata) as Record<string, unknown> };
		}
		const { redaction } = this.#config;
		const message = redaction.redactText('verdict' in outcome ? (outcome.verdict.message ?? rule.name) : capMessage(outcome.broken));
		const metadata = 'verdict' in outcome ? outcome.verdict.metadata : undefined;
		return {
			name: rule.name,
			type: rule.type,
			passed: false,
			message,
			...(observed ? { observed: true } : {}),
			...(metadata === undefined ? {} : { metadata: redaction.redact(metadata) as Record<string, unknown> }),
		};
	}

	#broken(decision: DecisionBuilder, rule: string, message: string, observedRule: boolean | undefined): boolean {
		const reason = this.#config.redaction.redactText(capMessage(message));
		decision.hooks.push({ name: rule, result: 'deny', reason });
		return decision.fail('policy_error', rule, reason, observedRule);
	}

	#rulesFor(toolName: string): ToolRules {
		const cached = this.#byTool.get(toolName);
		if (cached !== undefined) return cached;
		const matching = <R extends Rule>(rules: readonly R[]): readonly R[] => {
			const found = rules.filter((rule) => rule.matches(toolName));
			return found.length === 0 ? NO_RULES : found;
		};
		const { contracts, hooks } = this.#config;
		const rules: ToolRules = {
			before: matching(hooks.filter((h) => h.kind === 'before')),
			preconditions: matching(contracts.filter((c) => c.type === 'precondition')),
			sessions: matching(contracts.filter((c) => c.type === 'session_contract' || c.type === 'behavior')),
			postconditions: matching(contracts.filter((c) => c.type === 'postcondition')),
			after: matching(hooks.filter((h) => h.kind === 'after')),
		};
		// Tool names come from the model: cache a bounded number of them.
		if (this.#byTool.size < MAX_CACHED_TOOLS) this.#byTool.set(toolName, rules);
		return rules;
	}
}

function sessionView(id: string, counters: SessionCounters): SessionView {
	const perTool = counters.toolExecutions;
	return Object.freeze({
		id,
		attempts: counters.attempts,
		executions: counters.executions,
		consecutiveFailures: counters.consecutiveFailures,
		toolExecutions: (toolName: string) => perTool[toolName] ?? 0,
	});
}
