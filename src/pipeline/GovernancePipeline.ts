import type { Mode } from '../contracts/Contract.js';
import type { Verdict } from '../contracts/Verdict.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { isHookDecision } from '../hooks/HookDecision.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { Awaitable, Reservation, SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import { CallStorage } from '../storage/CallStorage.js';
import type { ContractRule, HookOutcome, HookRule } from '../contracts/rules.js';
import { capMessage, describeValue, errorMessage, errorName } from '../_internal/text.js';
import { isThenable } from '../_internal/isThenable.js';
import { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import type { ContractRecord, DecisionSource, HookRecord, PostDecision, PreDecision } from '../decisions/decisions.js';
import { limitMessages } from './limitMessages.js';
import type { GuardRule } from '../guards/defineGuard.js';
import { askGuard, askHook, applies_, Broken, checkRule, SKIPPED } from './failClosed.js';
import { GuardTrail } from './GuardTrail.js';
import { NO_RULES, RuleCache, type Step, type ToolRules } from './ToolRules.js';
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

const CLEAN_POST: PostDecision = Object.freeze({
	ok: true,
	postconditionsPassed: true,
	warnings: NO_RULES,
	contracts: NO_RULES,
});
const FAILED_POST: PostDecision = Object.freeze({
	ok: false,
	postconditionsPassed: true,
	warnings: NO_RULES,
	contracts: NO_RULES,
});

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
		for (const rule of config.contracts)
			this.#passed.set(rule, Object.freeze({ name: rule.name, type: rule.type, passed: true }));
		for (const hook of config.hooks) this.#allowed.set(hook, Object.freeze({ name: hook.name, result: 'allow' }));
	}

	/**
	 * The pre-execution steps. Rules never throw out of here (they fail closed); only the session store can.
	 * `executions` is the session's count after this call's reservation (unchanged when it was not reserved).
	 * Synchronous all the way when every rule and the store answer synchronously (no promise is made); the first
	 * thenable answer moves the rest of the evaluation onto the asynchronous path, from where it stood.
	 */
	pre(
		call: ToolEnvelope,
		counters: SessionCounters,
		storage: StorageBackend = this.#config.storage,
		gate = this.#config.gate,
	): PreResult | Promise<PreResult> {
		const run = new Evaluation(call, counters, storage, this.mode);
		let blocked: boolean | Promise<boolean>;
		try {
			blocked = this.#evaluate(run);
		} catch (error) {
			blocked = rejected(error);
		}
		if (isThenable(blocked) || run.decision.held !== undefined || (blocked && run.guards !== undefined)) {
			return this.#preAsync(run, blocked, gate);
		}
		if (blocked) return run.result(counters.executions);
		let reservation: Awaitable<Reservation>;
		try {
			reservation = this.#reserveStart(run);
		} catch (error) {
			return this.#preAsync(run, false, gate, rejected(error));
		}
		if (isThenable(reservation)) return this.#preAsync(run, false, gate, reservation);
		const executions = this.#reserved(run, reservation);
		return run.decision.denial !== undefined && run.guards !== undefined
			? this.#released(run, executions)
			: run.result(executions);
	}

	/** The rest of {@link pre} once something answered asynchronously (or a hold has to be settled). */
	async #preAsync(
		run: Evaluation,
		evaluated: boolean | Promise<boolean>,
		gate: ApprovalGate | undefined,
		started?: Promise<Reservation>,
	): Promise<PreResult> {
		const { call, decision, storage } = run;
		let executions = run.counters.executions;
		let completed = false;
		try {
			if (started !== undefined) {
				executions = this.#reserved(run, await started);
			} else {
				const blocked = await evaluated;
				// A hold is settled only once nothing denies: nobody is asked to approve a call denied anyway.
				const settled =
					blocked ||
					decision.held === undefined ||
					((await this.#withinLimits(call, decision, storage)) && (await this.#settleHold(call, decision, gate)));
				if (!blocked && settled) executions = this.#reserved(run, await this.#reserveStart(run));
			}
			completed = true;
		} finally {
			// Whatever stops the call (a rule, a limit, a hold, the store failing), guards that reserved something get it
			// back, on the store itself (the call's bound may be spent) and waited for at most until the bound.
			const stopped = !completed || decision.denial !== undefined || decision.approval !== undefined;
			if (stopped && run.guards !== undefined) await this.#giveBack(run.guards, storage);
		}
		return run.result(executions);
	}

	/** A denied call whose guards reserved something: they get it back before the decision is returned. */
	async #released(run: Evaluation, executions: number): Promise<PreResult> {
		await this.#giveBack(run.guards as GuardTrail, run.storage);
		return run.result(executions);
	}

	/** Releases on the store itself (the call's bound may be spent), waiting at most until the call's bound. */
	#giveBack(guards: GuardTrail, storage: StorageBackend): Awaitable<void> {
		if (!(storage instanceof CallStorage)) return this.#release(guards, storage);
		return storage.settle(this.#release(guards, storage.store));
	}

	/** Steps 1 to 4; true when a rule blocked the call. Synchronous until a rule answers with a thenable. */
	#evaluate(run: Evaluation): boolean | Promise<boolean> {
		const { limits } = this.#config;
		const { counters, decision } = run;
		if (counters.attempts > limits.maxAttempts) {
			if (decision.fail('attempt_limit', 'maxAttempts', limitMessages.attempts(limits.maxAttempts))) return true;
		}
		if (counters.halted !== null && decision.fail('session_halted', 'denialStreak', counters.halted)) return true;
		return this.#evaluateFrom(run, this.#rulesFor(run.call.toolName).steps, 0);
	}

	/** Evaluates `steps` from `index` on; continues asynchronously from the step that answered with a thenable. */
	#evaluateFrom(run: Evaluation, steps: readonly Step[], index: number): boolean | Promise<boolean> {
		for (let i = index; i < steps.length; i++) {
			const step = steps[i] as Step;
			const answer = this.#ask(step, run);
			if (isThenable(answer)) {
				return Promise.resolve(answer).then((settled) =>
					this.#judgeStep(step, settled, run) ? true : this.#evaluateFrom(run, steps, i + 1),
				);
			}
			if (this.#judgeStep(step, answer, run)) return true;
		}
		return false;
	}

	/** Asks one step's rule; never throws (rules fail closed) except for a store failure of a guard. */
	#ask(step: Step, run: Evaluation): unknown {
		switch (step.kind) {
			case 'hook':
				return this.#askHook(step.hook, run.call);
			case 'precondition':
				return this.#check(step.rule, run.call, run.call, undefined);
			case 'session':
				return this.#check(step.rule, run.call, run.view(), run.call);
			case 'guard':
				return askGuard(step.rule, run.trail(this.#config.redaction).context);
		}
	}

	/** Records one step's answer; true when it blocks the call. */
	#judgeStep(step: Step, answer: unknown, run: Evaluation): boolean {
		const { decision } = run;
		switch (step.kind) {
			case 'hook':
				return this.#judgeHook(step.hook, answer, decision);
			case 'precondition':
				return answer !== undefined && this.#judge(step.rule, answer as Verdict | Broken, 'precondition', decision);
			case 'session':
				return answer !== undefined && this.#judge(step.rule, answer as Verdict | Broken, 'session_contract', decision);
			case 'guard':
				return this.#judgeGuard(step.rule, answer as GuardAnswer | Broken, decision, run.guards as GuardTrail);
		}
	}

	/** Asks the approval gate about a held call; true when a grant lets it run (it then reserves like any call). */
	async #settleHold(call: ToolEnvelope, decision: DecisionBuilder, gate: ApprovalGate | undefined): Promise<boolean> {
		const held = decision.held as NonNullable<DecisionBuilder['held']>;
		if (gate === undefined)
			return !decision.fail(
				'approval',
				held.rule,
				`${held.message} (No approval store is configured, so the call cannot wait for approval.)`,
			);
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
		if (totals.executions + 1 > limits.maxToolCalls)
			return !decision.fail('execution_limit', 'maxToolCalls', limitMessages.total(limits.maxToolCalls));
		if ((totals.toolExecutions[call.toolName] ?? 0) + 1 > maxForTool)
			return !decision.fail('tool_limit', 'maxCallsPerTool', limitMessages.perTool(call.toolName, maxForTool));
		return true;
	}

	/** Step 5: reserves the execution atomically. */
	#reserveStart(run: Evaluation): Awaitable<Reservation> {
		const { limits } = this.#config;
		const { call } = run;
		const maxForTool = limits.maxCallsPerTool[call.toolName] ?? Infinity;
		const bounds = { maxToolCalls: limits.maxToolCalls, maxForTool };
		return run.storage.reserveExecution(call.sessionId, call.toolName, bounds, run.decision.observing);
	}

	/** Records a reservation's answer (a limit denies); returns the session's executions after it. */
	#reserved(run: Evaluation, reservation: Reservation): number {
		if (!reservation.ok) {
			const { limits } = this.#config;
			const { toolName } = run.call;
			const perTool = reservation.limit === 'maxCallsPerTool';
			const maxForTool = limits.maxCallsPerTool[toolName] ?? Infinity;
			const message = perTool ? limitMessages.perTool(toolName, maxForTool) : limitMessages.total(limits.maxToolCalls);
			run.decision.fail(perTool ? 'tool_limit' : 'execution_limit', reservation.limit, message);
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
	post(
		call: ToolEnvelope,
		outcome: HookOutcome,
		guards?: GuardTrail,
		sideEffectExecuted = outcome.ok,
	): PostDecision | Promise<PostDecision> {
		const rules = this.#rulesFor(call.toolName);
		const warnings: string[] = [];
		let pending: Promise<unknown> | undefined;
		if (guards !== undefined && guards.rules.some((rule) => rule.guard.post !== undefined)) {
			const guardOutcome: GuardOutcome = {
				ok: outcome.ok,
				result: outcome.result,
				error: outcome.error,
				sideEffectExecuted,
			};
			pending = this.#notifyGuards(guards, guardOutcome, warnings);
		}
		if (
			pending === undefined &&
			warnings.length === 0 &&
			rules.after.length === 0 &&
			(rules.postconditions.length === 0 || !outcome.ok)
		)
			return outcome.ok ? CLEAN_POST : FAILED_POST;
		return this.#post(rules, call, outcome, pending, warnings);
	}

	/** Tells each evaluated guard the outcome; returns a promise only when some guard answered asynchronously. */
	#notifyGuards(guards: GuardTrail, outcome: GuardOutcome, warnings: string[]): Promise<unknown> | undefined {
		let pending: Promise<unknown>[] | undefined;
		for (const [i, rule] of guards.rules.entries()) {
			if (rule.guard.post === undefined) continue;
			try {
				const done = rule.guard.post(guards.context, outcome, guards.passed[i] === true);
				if (isThenable(done))
					(pending ??= []).push(
						Promise.resolve(done).catch((error: unknown) => this.#guardFailed(rule, error, warnings)),
					);
			} catch (error) {
				this.#guardFailed(rule, error, warnings);
			}
		}
		return pending === undefined ? undefined : Promise.all(pending);
	}

	#guardFailed(rule: GuardRule, error: unknown, warnings: string[]): void {
		warnings.push(
			this.#config.redaction.redactText(
				`Guard "${rule.name}" could not record the outcome: ${errorName(error)}: ${errorMessage(error)}`,
			),
		);
	}

	async #post(
		rules: ToolRules,
		call: ToolEnvelope,
		outcome: HookOutcome,
		pending: Promise<unknown> | undefined,
		warnings: string[],
	): Promise<PostDecision> {
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
				warnings.push(
					this.#config.redaction.redactText(
						`After-hook "${hook.name}" threw ${errorName(error)}: ${errorMessage(error)}`,
					),
				);
			}
		}
		if (contracts.length === 0 && warnings.length === 0) return outcome.ok ? CLEAN_POST : FAILED_POST;
		return { ok: outcome.ok, postconditionsPassed: passed, warnings, contracts };
	}

	/** See {@link checkRule}. */
	#check(
		rule: ContractRule,
		call: ToolEnvelope,
		a: unknown,
		b: unknown,
	): Verdict | Broken | undefined | Promise<Verdict | Broken | undefined> {
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
		return decision.fail(
			outcome instanceof Broken ? 'policy_error' : source,
			rule.name,
			record.message ?? rule.name,
			rule.mode === 'observe',
		);
	}

	/** See {@link askHook}. */
	#askHook(hook: HookRule, call: ToolEnvelope): unknown {
		return askHook(hook, call);
	}

	#judgeHook(hook: HookRule, answer: unknown, decision: DecisionBuilder): boolean {
		if (answer === SKIPPED) return false;
		if (answer instanceof Broken) return this.#broken(decision, hook.name, answer.problem);
		if (!isHookDecision(answer))
			return this.#broken(
				decision,
				hook.name,
				`Hook "${hook.name}" returned ${describeValue(answer)} instead of HookDecision.allow() or HookDecision.deny(reason)`,
			);
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
			return outcome.metadata === undefined
				? (this.#passed.get(rule) as ContractRecord)
				: {
						name: rule.name,
						type: rule.type,
						passed: true,
						metadata: redaction.redact(outcome.metadata) as Record<string, unknown>,
					};
		}
		const message = redaction.redactText(
			outcome instanceof Broken ? capMessage(outcome.problem) : (outcome.message ?? rule.name),
		);
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

/** The state of one call's pre-execution evaluation, made once per call; views and trails only when needed. */
class Evaluation {
	readonly decision: DecisionBuilder;
	guards: GuardTrail | undefined;
	#view: CountersView | undefined;

	constructor(
		readonly call: ToolEnvelope,
		readonly counters: SessionCounters,
		readonly storage: StorageBackend,
		mode: Mode,
	) {
		this.decision = new DecisionBuilder(mode);
	}

	/** The session contracts' snapshot of the counters. */
	view(): CountersView {
		return (this.#view ??= new CountersView(this.call.sessionId, this.counters));
	}

	/** The behaviour guards' trail (they learn the outcome after the run). */
	trail(redaction: RedactionPolicy): GuardTrail {
		return (this.guards ??= new GuardTrail({ call: this.call, storage: this.storage, now: Date.now(), redaction }));
	}

	result(executions: number): PreResult {
		const result = { decision: this.decision.finish(), executions, guards: this.guards };
		return this.decision.replayed === undefined ? result : { ...result, replayed: this.decision.replayed };
	}
}

/** A rejected promise carrying exactly what was thrown, so the asynchronous path sees the same failure. */
// eslint-disable-next-line @typescript-eslint/require-await -- the point is to turn a throw into a rejection
async function rejected(error: unknown): Promise<never> {
	throw error;
}
