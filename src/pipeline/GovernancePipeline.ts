import type { Mode } from '../contracts/Contract.js';
import { PASS, type Verdict } from '../contracts/Verdict.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { Awaitable, Reservation, SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import type { ContractRule, HookRule } from '../contracts/rules.js';
import { isThenable } from '../_internal/isThenable.js';
import type { PostDecision, PreDecision } from '../decisions/decisions.js';
import { limitMessages } from './limitMessages.js';
import { askGuard, askHook, type Broken, checkRule } from './failClosed.js';
import type { GuardTrail } from './GuardTrail.js';
import { RuleCache, type Step } from './ToolRules.js';
import { PASS as GUARD_PASS, type GuardAnswer, type GuardOutcome } from '../guards/Guard.js';
import { isGuardRule } from '../guards/defineGuard.js';
import type { ApprovalGate } from './ApprovalGate.js';
import { DecisionRecorder } from './DecisionRecorder.js';
import { Evaluation } from './Evaluation.js';
import { PostExecution } from './PostExecution.js';
import { releaseGuards } from './releaseGuards.js';
import { settleHold, withinLimits } from './settleHold.js';

/** The rule a halted session's denials name when neither its store nor this Warden knows the guard that halted it. */
const HALTED_BY_UNKNOWN = 'sessionHalted';

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

/**
 * Evaluates calls against the rules: the pre-execution steps of API §5 in order (attempt limit, halted session,
 * before-hooks, preconditions, session contracts, execution limits), and after a run the postconditions and
 * after-hooks. Stateless apart from the session store it reserves executions in.
 */
export class GovernancePipeline {
	readonly mode: Mode;
	readonly #config: PipelineConfig;
	readonly #rules: RuleCache;
	readonly #recorder: DecisionRecorder;
	readonly #after: PostExecution;
	/** The rule a halted session's denials name when the store did not keep it: this Warden's halting guard. */
	readonly #haltedBy: string;

	constructor(config: PipelineConfig) {
		this.mode = config.mode;
		this.#config = config;
		this.#recorder = new DecisionRecorder(config.mode, config.redaction, config.contracts, config.hooks);
		const recorder = this.#recorder;
		const passed = (rule: ContractRule) => recorder.passed(rule);
		this.#rules = new RuleCache(config.contracts, config.hooks, passed, config.limits, config.mode);
		this.#after = new PostExecution(this.#rules, this.#recorder, config.redaction);
		const halting = config.contracts.find((rule) => isGuardRule(rule) && rule.guard.onDenial !== undefined);
		this.#haltedBy = halting?.name ?? HALTED_BY_UNKNOWN;
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
					((await withinLimits(call, decision, storage, this.#config.limits)) &&
						(await settleHold(call, decision, gate, this.#config.redaction)));
				if (!blocked && settled) executions = this.#reserved(run, await this.#reserveStart(run));
			}
			completed = true;
		} finally {
			// Whatever stops the call (a rule, a limit, a hold, the store failing), guards that reserved something get it
			// back, on the store itself (the call's bound may be spent) and waited for at most until the bound.
			const stopped = !completed || decision.denial !== undefined || decision.approval !== undefined;
			if (stopped && run.guards !== undefined) await releaseGuards(run.guards, storage);
		}
		return run.result(executions);
	}

	/** A denied call whose guards reserved something: they get it back before the decision is returned. */
	async #released(run: Evaluation, executions: number): Promise<PreResult> {
		await releaseGuards(run.guards as GuardTrail, run.storage);
		return run.result(executions);
	}

	/** Steps 1 to 4; true when a rule blocked the call. Synchronous until a rule answers with a thenable. */
	#evaluate(run: Evaluation): boolean | Promise<boolean> {
		const { limits } = this.#config;
		const { counters, decision } = run;
		if (counters.attempts > limits.maxAttempts) {
			if (decision.fail('attempt_limit', 'maxAttempts', limitMessages.attempts(limits.maxAttempts))) return true;
		}
		if (counters.halted !== null) {
			if (decision.fail('session_halted', counters.haltedBy ?? this.#haltedBy, counters.halted)) return true;
		}
		const rules = this.#rules.for(run.call.toolName);
		run.rules = rules;
		decision.expect(rules.passed, rules.allowed);
		return this.#evaluateFrom(run, rules.steps, 0);
	}

	/** Evaluates `steps` from `index` on; continues asynchronously from the step that answered with a thenable. */
	#evaluateFrom(run: Evaluation, steps: readonly Step[], index: number): boolean | Promise<boolean> {
		for (let i = index; i < steps.length; i++) {
			const step = steps[i] as Step;
			const answer = this.#ask(step, run);
			// The common answers, `Verdict.pass()` and a guard's pass, record the rule's one passing record.
			if (answer === PASS && (step.kind === 'precondition' || step.kind === 'session')) {
				run.decision.addContract(step.passed);
				continue;
			}
			if (answer === GUARD_PASS && step.kind === 'guard') {
				(run.guards as GuardTrail).add(step.rule, true);
				run.decision.addContract(step.passed);
				continue;
			}
			if (isThenable(answer)) return this.#evaluateAfter(run, steps, i, answer);
			if (this.#judgeStep(step, answer, run)) return true;
		}
		return false;
	}

	/**
	 * Step `index` answered with a thenable: judge it once settled, then go on. A method of its own: a closure in the
	 * loop would make every step of every call allocate a context.
	 */
	#evaluateAfter(
		run: Evaluation,
		steps: readonly Step[],
		index: number,
		answer: PromiseLike<unknown>,
	): Promise<boolean> {
		const step = steps[index] as Step;
		return Promise.resolve(answer).then((settled) =>
			this.#judgeStep(step, settled, run) ? true : this.#evaluateFrom(run, steps, index + 1),
		);
	}

	/** Asks one step's rule; never throws (rules fail closed) except for a store failure of a guard. */
	#ask(step: Step, run: Evaluation): unknown {
		switch (step.kind) {
			case 'hook':
				return askHook(step.hook, run.call);
			case 'precondition':
				return checkRule(step.rule, run.call, run.call, undefined);
			case 'session':
				return checkRule(step.rule, run.call, run.view(), run.call);
			case 'guard':
				return askGuard(step.rule, run.trail(this.#config.redaction).context);
		}
	}

	/** Records one step's answer; true when it blocks the call. */
	#judgeStep(step: Step, answer: unknown, run: Evaluation): boolean {
		const { decision } = run;
		switch (step.kind) {
			case 'hook':
				return this.#recorder.judgeHook(step.hook, answer, decision);
			case 'precondition':
				return (
					answer !== undefined && this.#recorder.judge(step.rule, answer as Verdict | Broken, 'precondition', decision)
				);
			case 'session':
				return (
					answer !== undefined &&
					this.#recorder.judge(step.rule, answer as Verdict | Broken, 'session_contract', decision)
				);
			case 'guard':
				return this.#recorder.judgeGuard(step.rule, answer as GuardAnswer | Broken, decision, run.guards as GuardTrail);
		}
	}

	/** Step 5: reserves the execution atomically. */
	#reserveStart(run: Evaluation): Awaitable<Reservation> {
		const { call } = run;
		const bounds = (run.rules ?? this.#rules.for(call.toolName)).bounds;
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

	/**
	 * Behaviour guards learn the outcome, then postconditions (after a successful run) and after-hooks run (they see
	 * `ok` with the result or the error). Synchronous when nothing applies.
	 */
	post(call: ToolEnvelope, outcome: GuardOutcome, guards?: GuardTrail): PostDecision | Promise<PostDecision> {
		return this.#after.post(call, outcome, guards);
	}
}

/** A rejected promise carrying exactly what was thrown, so the asynchronous path sees the same failure. */
// eslint-disable-next-line @typescript-eslint/require-await -- the point is to turn a throw into a rejection
async function rejected(error: unknown): Promise<never> {
	throw error;
}
