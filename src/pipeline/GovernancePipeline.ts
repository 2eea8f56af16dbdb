import type { Mode } from '../contracts/Contract.js';
import type { Verdict } from '../contracts/Verdict.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { isHookDecision } from '../hooks/HookDecision.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import { CallStorage } from '../storage/CallStorage.js';
import type { ContractRule, HookOutcome, HookRule } from '../contracts/rules.js';
import { capMessage, describeValue, errorMessage, errorName } from '../_internal/text.js';
import { isThenable } from '../_internal/isThenable.js';
import { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import type { ContractRecord, DecisionSource, HookRecord, PostDecision, PreDecision } from '../decisions/decisions.js';
import { limitMessages } from './limitMessages.js';
import { isGuardRule, type GuardRule } from '../guards/defineGuard.js';
import { askGuard, askHook, applies_, Broken, checkRule, SKIPPED } from './failClosed.js';
import { GuardTrail } from './GuardTrail.js';
import { NO_RULES, RuleCache, type ToolRules } from './ToolRules.js';
import { CountersView } from '../contracts/SessionView.js';
import type { GuardAnswer, GuardOutcome } from '../guards/Guard.js';
import type { ApprovalGate } from './ApprovalGate.js';

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
	/** Where a held call's approval is looked up (and asked for); without one a hold denies. */
	readonly gate?: ApprovalGate;
}

/** What the pre-execution steps decided, and the session's executions after them. */
export interface PreResult {
	readonly decision: PreDecision;
	readonly executions: number;
	/** The recorded result, when a guard replayed the call. */
	readonly replayed?: { readonly result: unknown };
	/** The behaviour guards evaluated for the call: they learn the outcome after the run. */
	readonly guards: GuardTrail | undefined;
}

const CLEAN_POST: PostDecision = Object.freeze({ ok: true, postconditionsPassed: true, warnings: NO_RULES, contracts: NO_RULES });
const FAILED_POST: PostDecision = Object.freeze({ ok: false, postconditionsPassed: true, warnings: NO_RULES, contracts: NO_RULES });


/**
 * Evaluates calls against the rules: the pre-execution steps of API §5 in order (attempt limit, halted session,
 * before-hooks, preconditions, session contracts, execution limits), and after a run the postconditions and
 * after-hooks. Stateless apart from the session store it reserves executions in.
 */
export class GovernancePipeline {
	readonly mode: Mode;
	readonly #config: PipelineConfig;
	readonly #rules: RuleCache;
	/** A passing record is the same every time: one frozen object per rule, not one per call. */
	readonly #passed = new Map<ContractRule, ContractRecord>();
	readonly #allowed = new Map<HookRule, HookRecord>();

	constructor(config: PipelineConfig) {
		this.mode = config.mode;
		this.#config = config;
		this.#rules = new RuleCache(config.contracts, config.hooks);
		for (const rule of config.contracts) this.#passed.set(rule, Object.freeze({ name: rule.name, type: rule.type, passed: true }));
		for (const hook of config.hooks) this.#allowed.set(hook, Object.freeze({ name: hook.name, result: 'allow' }));
	}

	/**
	 * The pre-execution steps. Rules never throw out of here (they fail closed); only the session store can.
	 * `executions` is the session's count after this call's reservation (unchanged when it was not reserved).
	 * Synchronous rules are evaluated without allocating a promise; only a thenable answer is awaited.
	 */
	async pre(call: ToolEnvelope, counters: SessionCounters, storage: StorageBackend = this.#config.storage, gate = this.#config.gate): Promise<PreResult> {
		const decision = new DecisionBuilder(this.mode);
		const trail: { guards: GuardTrail | undefined } = { guards: undefined };
		let executions = counters.executions;
		let completed = false;
		try {
			const blocked = await this.#evaluate(call, counters, decision, trail, storage);
			// A hold is settled only once nothing denies: nobody is asked to approve a call that is denied anyway.
			const settled = blocked || decision.held === undefined || ((await this.#withinLimits(call, decision, storage)) && (await this.#settleHold(call, decision, gate)));
			if (!blocked && settled) executions = await this.#reserve(call, decision, storage);
			completed = true;
		} finally {
			// Whatever stops the call (a rule, a limit, a hold, the store failing), guards that reserved something get it
			// back, on the store itself (the call's bound may be spent) and waited for at most until the bound.
			const stopped = !completed || decision.denial !== undefined || decision.approval !== undefined;
			if (stopped && trail.guards !== undefined) {
				const released = this.#release(trail.guards, storage instanceof CallStorage ? storage.store : storage);
				await (storage instanceof CallStorage ? storage.settle(released) : released);
			}
		}
		const result = { decision: decision.finish(), executions, guards: trail.guards };
		return decision.replayed === undefined ? result : { ...result, replayed: decision.replayed };
	}

	/** Steps 1 to 4; true when a rule blocked the call. */
	async #evaluate(call: ToolEnvelope, counters: SessionCounters, decision: DecisionBuilder, trail: { guards: GuardTrail | undefined }, storage: StorageBackend): Promise<boolean> {
		const { limits } = this.#config;
		if (counters.attempts > limits.maxAttempts && decision.fail('attempt_limit', 'maxAttempts', limitMessages.attempts(limits.maxAttempts))) return true;
		if (counters.halted !== null && decision.fail('session_halted', 'denialStreak', counters.halted)) return true;
		const rules = this.#rulesFor(call.toolName);
		for (const hook of rules.before) {
			let answer = this.#askHook(hook, call);
			if (isThenable(answer)) answer = await answer;
			if (this.#judgeHook(hook, answer, decision)) return true;
		}
		for (const rule of rules.preconditions) {
			let outcome = this.#check(rule, call, call, undefined);
			if (isThenable(outcome)) outcome = await outcome;
			if (outcome !== undefined && this.#judge(rule, outcome, 'precondition', decision)) return true;
		}
		if (rules.sessions.length === 0) return false;
		const view = new CountersView(call.sessionId, counters);
		for (const rule of rules.sessions) {
			if (isGuardRule(rule)) {
				const { redaction } = this.#config;
				const guards = (trail.guards ??= new GuardTrail({ call, storage, now: Date.now(), redaction }));
				let answer = askGuard(rule, guards.context);
				if (isThenable(answer)) answer = await answer;
				if (this.#judgeGuard(rule, answer, decision, guards)) return true;
				continue;
			}
			let outcome = this.#check(rule, call, view, call);
			if (isThenable(outcome)) outcome = await outcome;
			if (outcome !== undefined && this.#judge(rule, outcome, 'session_contract', decision)) return true;
		}
		return false;
	}

	/** Asks the approval gate about a held call; true when a grant lets it run (it then reserves like any call). */
	async #settleHold(call: ToolEnvelope, decision: DecisionBuilder, gate: ApprovalGate | undefined): Promise<boolean> {
		const held = decision.held as NonNullable<DecisionBuilder['held']>;
		if (gate === undefined) return !decision.fail('approval', held.rule, `${held.message} (No approval store is configured, so the call cannot wait for approval.)`);
		const answer = await gate(call, held);
		if (answer.kind === 'granted') {
			decision.approvalId = answer.approvalId;
			return true;
		}
		if (answer.kind === 'held') {
			decision.approval = answer.approval;
			return false;
		}
		if (answer.approvalId !== undefined) decision.approvalId = answer.approvalId;
		decision.fail('approval', held.rule, this.#config.redaction.redactText(capMessage(answer.reason)));
		return false;
	}

	/** Step 5 for a held call: the limits are checked (a call over them is denied) but nothing is reserved. */
	async #withinLimits(call: ToolEnvelope, decision: DecisionBuilder, storage: StorageBackend): Promise<boolean> {
		const { limits } = this.#config;
		const maxForTool = limits.maxCallsPerTool[call.toolName] ?? Infinity;
		if (limits.maxToolCalls === Infinity && maxForTool === Infinity) return true;
		let totals = storage.totals(call.sessionId);
		if (isThenable(totals)) totals = await totals;
		if (totals.executions + 1 > limits.maxToolCalls) return !decision.fail('execution_limit', 'maxToolCalls', limitMessages.total(limits.maxToolCalls));
		if ((totals.toolExecutions[call.toolName] ?? 0) + 1 > maxForTool) return !decision.fail('tool_limit', 'maxCallsPerTool', limitMessages.perTool(call.toolName, maxForTool));
		return true;
	}

	/** Step 5: reserves the execution atomically; returns the session's executions after it. */
	async #reserve(call: ToolEnvelope, decision: DecisionBuilder, storage: StorageBackend): Promise<number> {
		const { limits } = this.#config;
		const maxForTool = limits.maxCallsPerTool[call.toolName] ?? Infinity;
		let reservation = storage.reserveExecution(call.sessionId, call.toolName, { maxToolCalls: limits.maxToolCalls, maxForTool }, decision.observing);
		if (isThenable(reservation)) reservation = await reservation;
		if (!reservation.ok) {
			const perTool = reservation.limit === 'maxCallsPerTool';
			const message = perTool ? limitMessages.perTool(call.toolName, maxForTool) : limitMessages.total(limits.maxToolCalls);
			decision.fail(perTool ? 'tool_limit' : 'execution_limit', reservation.limit, message);
		}
		return reservation.executions;
	}

	/** Records a guard's answer; returns true when it ends evaluation (a blocking denial or replay). */
	#judgeGuard(rule: GuardRule, answer: GuardAnswer | Broken, decision: DecisionBuilder, guards: GuardTrail): boolean {
		if (answer instanceof Broken) {
			guards.add(rule, false);
			return this.#judge(rule, answer, 'behavior', decision);
		}
		guards.add(rule, answer.kind === 'pass');
		if (answer.kind === 'pass') {
			decision.addContract(this.#passed.get(rule) as ContractRecord);
			return false;
		}
		const { redaction } = this.#config;
		const observed = this.mode === 'observe' || rule.mode === 'observe';
		const message = redaction.redactText(capMessage(answer.message));
		const metadata = answer.kind === 'replay' ? { replay: true } : answer.metadata;
		decision.addContract({
			name: rule.name,
			type: 'behavior',
			passed: false,
			message,
			...(observed ? { observed: true } : {}),
			...(metadata === undefined ? {} : { metadata: redaction.redact(metadata) as Record<string, unknown> }),
		});
		if (answer.kind === 'replay') return decision.replay(rule.name, message, answer.result, rule.mode === 'observe');
		return decision.fail('behavior', rule.name, message, rule.mode === 'observe');
	}

	async #release(guards: GuardTrail, storage: StorageBackend): Promise<void> {
		const context = storage === guards.context.storage ? guards.context : { ...guards.context, storage };
		for (const [i, rule] of guards.rules.entries()) {
			if (guards.passed[i] !== true || rule.guard.release === undefined) continue;
			try {
				const done = rule.guard.release(context);
				if (isThenable(done)) await done;
			} catch {
				// Releasing is best effort: a reservation that could not be returned only makes a guard stricter.
			}
		}
	}

	/**
	 * Behaviour guards learn the outcome, then postconditions (after a successful run) and after-hooks run.
	 * Synchronous when nothing applies.
	 */
	post(call: ToolEnvelope, outcome: HookOutcome, guards?: GuardTrail, sideEffectExecuted = outcome.ok): PostDecision | Promise<PostDecision> {
		const rules = this.#rulesFor(call.toolName);
		const warnings: string[] = [];
		let pending: Promise<unknown> | undefined;
		if (guards !== undefined && guards.rules.some((rule) => rule.guard.post !== undefined)) {
			const guardOutcome: GuardOutcome = { ok: outcome.ok, result: outcome.result, error: outcome.error, sideEffectExecuted };
			pending = this.#notifyGuards(guards, guardOutcome, warnings);
		}
		if (pending === undefined && warnings.length === 0 && rules.after.length === 0 && (rules.postconditions.length === 0 || !outcome.ok)) return outcome.ok ? CLEAN_POST : FAILED_POST;
		return this.#post(rules, call, outcome, pending, warnings);
	}

	/** Tells each evaluated guard the outcome; returns a promise only when some guard answered asynchronously. */
	#notifyGuards(guards: GuardTrail, outcome: GuardOutcome, warnings: string[]): Promise<unknown> | undefined {
		let pending: Promise<unknown>[] | undefined;
		for (const [i, rule] of guards.rules.entries()) {
			if (rule.guard.post === undefined) continue;
			try {
				const done = rule.guard.post(guards.context, outcome, guards.passed[i] === true);
				if (isThenable(done)) (pending ??= []).push(Promise.resolve(done).catch((error: unknown) => this.#guardFailed(rule, error, warnings)));
			} catch (error) {
				this.#guardFailed(rule, error, warnings);
			}
		}
		return pending === undefined ? undefined : Promise.all(pending);
	}

	#guardFailed(rule: GuardRule, error: unknown, warnings: string[]): void {
		warnings.push(this.#config.redaction.redactText(`Guard "${rule.name}" could not record the outcome: ${errorName(error)}: ${errorMessage(error)}`));
	}

	async #post(rules: ToolRules, call: ToolEnvelope, outcome: HookOutcome, pending: Promise<unknown> | undefined, warnings: string[]): Promise<PostDecision> {
		if (pending !== undefined) await pending;
		const contracts: ContractRecord[] = [];
		let passed = true;
		if (outcome.ok) {
			for (const rule of rules.postconditions) {
				let result = this.#check(rule, call, call, outcome.result);
				if (isThenable(result)) result = await result;
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
				let applies = applies_(hook, call);
				if (isThenable(applies)) applies = await applies;
				if (applies !== true) continue;
				const done = hook.fn(call, outcome);
				if (isThenable(done)) await done;
			} catch (error) {
				warnings.push(this.#config.redaction.redactText(`After-hook "${hook.name}" threw ${errorName(error)}: ${errorMessage(error)}`));
			}
		}
		if (contracts.length === 0 && warnings.length === 0) return outcome.ok ? CLEAN_POST : FAILED_POST;
		return { ok: outcome.ok, postconditionsPassed: passed, warnings, contracts };
	}

	/** See {@link checkRule}. */
	#check(rule: ContractRule, call: ToolEnvelope, a: unknown, b: unknown): Verdict | Broken | undefined | Promise<Verdict | Broken | undefined> {
		return checkRule(rule, call, a, b);
	}

	/** Records a contract's outcome; returns true when it blocks the call. */
	#judge(rule: ContractRule, outcome: Verdict | Broken, source: DecisionSource, decision: DecisionBuilder): boolean {
		const record = this.#record(rule, outcome, this.mode === 'observe' || rule.mode === 'observe');
		decision.addContract(record);
		if (record.passed) return false;
		if (!(outcome instanceof Broken) && outcome.hold !== undefined) {
			decision.hold(rule.name, record.message ?? rule.name, outcome.hold, rule.mode === 'observe');
			return false;
		}
		return decision.fail(outcome instanceof Broken ? 'policy_error' : source, rule.name, record.message ?? rule.name, rule.mode === 'observe');
	}

	/** See {@link askHook}. */
	#askHook(hook: HookRule, call: ToolEnvelope): unknown {
		return askHook(hook, call);
	}

	#judgeHook(hook: HookRule, answer: unknown, decision: DecisionBuilder): boolean {
		if (answer === SKIPPED) return false;
		if (answer instanceof Broken) return this.#broken(decision, hook.name, answer.problem);
		if (!isHookDecision(answer)) return this.#broken(decision, hook.name, `Hook "${hook.name}" returned ${describeValue(answer)} instead of HookDecision.allow() or HookDecision.deny(reason)`);
		if (answer.allowed) {
			decision.addHook(this.#allowed.get(hook) as HookRecord);
			return false;
		}
		const reason = this.#config.redaction.redactText(answer.reason ?? hook.name);
		if (answer.hold !== undefined) {
			decision.addHook({ name: hook.name, result: 'hold', reason });
			decision.hold(hook.name, reason, answer.hold, hook.mode === 'observe');
			return false;
		}
		decision.addHook({ name: hook.name, result: 'deny', reason });
		return decision.fail('hook', hook.name, reason);
	}

	#record(rule: ContractRule, outcome: Verdict | Broken, observed: boolean): ContractRecord {
		const { redaction } = this.#config;
		if (!(outcome instanceof Broken) && outcome.passed) {
			return outcome.metadata === undefined ? (this.#passed.get(rule) as ContractRecord) : { name: rule.name, type: rule.type, passed: true, metadata: redaction.redact(outcome.metadata) as Record<string, unknown> };
		}
		const message = redaction.redactText(outcome instanceof Broken ? capMessage(outcome.problem) : (outcome.message ?? rule.name));
		const metadata = outcome instanceof Broken ? undefined : outcome.metadata;
		return {
			name: rule.name,
			type: rule.type,
			passed: false,
			message,
			...(observed ? { observed: true } : {}),
			...(outcome instanceof Broken || outcome.hold === undefined ? {} : { held: true }),
			...(metadata === undefined ? {} : { metadata: redaction.redact(metadata) as Record<string, unknown> }),
		};
	}

	#broken(decision: DecisionBuilder, rule: string, message: string): boolean {
		const reason = this.#config.redaction.redactText(capMessage(message));
		decision.addHook({ name: rule, result: 'deny', reason });
		return decision.fail('policy_error', rule, reason);
	}

	#rulesFor(toolName: string): ToolRules {
		return this.#rules.for(toolName);
	}
}
