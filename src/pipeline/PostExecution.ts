import type { ToolEnvelope } from '../envelope/types.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { HookOutcome } from '../contracts/rules.js';
import { errorMessage, errorName } from '../_internal/text.js';
import { isThenable } from '../_internal/isThenable.js';
import type { ContractRecord, PostDecision } from '../decisions/decisions.js';
import type { GuardRule } from '../guards/defineGuard.js';
import type { GuardOutcome } from '../guards/Guard.js';
import { applies_, checkRule } from './failClosed.js';
import type { GuardTrail } from './GuardTrail.js';
import type { DecisionRecorder } from './DecisionRecorder.js';
import { NO_RULES, type RuleCache, type ToolRules } from './ToolRules.js';

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
 * The steps after a run: behaviour guards learn the outcome, then postconditions (after a successful run) and
 * after-hooks run. Nothing here blocks: failures become warnings.
 */
export class PostExecution {
	readonly #rules: RuleCache;
	readonly #recorder: DecisionRecorder;
	readonly #redaction: RedactionPolicy;

	constructor(rules: RuleCache, recorder: DecisionRecorder, redaction: RedactionPolicy) {
		this.#rules = rules;
		this.#recorder = recorder;
		this.#redaction = redaction;
	}

	/** See `GovernancePipeline.post`. Synchronous when nothing applies; allocates nothing then. */
	post(
		call: ToolEnvelope,
		outcome: GuardOutcome,
		guards: GuardTrail | undefined,
	): PostDecision | Promise<PostDecision> {
		const rules = this.#rules.for(call.toolName);
		let warnings: string[] | undefined;
		let pending: Promise<unknown> | undefined;
		if (guards?.learnsOutcome === true) pending = this.#notifyGuards(guards, outcome, (warnings = []));
		if (
			pending === undefined &&
			(warnings === undefined || warnings.length === 0) &&
			rules.after.length === 0 &&
			(rules.postconditions.length === 0 || !outcome.ok)
		)
			return outcome.ok ? CLEAN_POST : FAILED_POST;
		return this.#post(rules, call, outcome, pending, warnings ?? []);
	}

	/** Tells each evaluated guard the outcome; returns a promise only when some guard answered asynchronously. */
	#notifyGuards(guards: GuardTrail, outcome: GuardOutcome, warnings: string[]): Promise<unknown> | undefined {
		let pending: Promise<unknown>[] | undefined;
		const { rules } = guards;
		for (let i = 0; i < rules.length; i++) {
			const rule = rules[i] as GuardRule;
			if (rule.guard.post === undefined) continue;
			try {
				const done = rule.guard.post(guards.context, outcome, guards.passed(i));
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
			this.#redaction.redactText(
				`Guard "${rule.name}" could not record the outcome: ${errorName(error)}: ${errorMessage(error)}`,
			),
		);
	}

	async #post(
		rules: ToolRules,
		call: ToolEnvelope,
		outcome: GuardOutcome,
		pending: Promise<unknown> | undefined,
		warnings: string[],
	): Promise<PostDecision> {
		if (pending !== undefined) await pending;
		// After-hooks see how the run ended, nothing more.
		const ran: HookOutcome = outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.error };
		const contracts: ContractRecord[] = [];
		let passed = true;
		if (outcome.ok) {
			for (const rule of rules.postconditions) {
				let result = checkRule(rule, call, call, outcome.result);
				if (isThenable(result)) result = await result;
				if (result === undefined) continue;
				const record = this.#recorder.record(rule, result, false);
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
				const done = hook.fn(call, ran);
				if (isThenable(done)) await done;
			} catch (error) {
				warnings.push(
					this.#redaction.redactText(`After-hook "${hook.name}" threw ${errorName(error)}: ${errorMessage(error)}`),
				);
			}
		}
		if (contracts.length === 0 && warnings.length === 0) return outcome.ok ? CLEAN_POST : FAILED_POST;
		return { ok: outcome.ok, postconditionsPassed: passed, warnings, contracts };
	}
}
