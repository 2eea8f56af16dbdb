import type { Mode } from '../contracts/Contract.js';
import type { Verdict } from '../contracts/Verdict.js';
import { isHookDecision } from '../hooks/HookDecision.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { ContractRule, HookRule } from '../contracts/rules.js';
import { capMessage, describeValue } from '../_internal/text.js';
import type { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import type { ContractRecord, DecisionSource, HookRecord } from '../decisions/decisions.js';
import type { GuardRule } from '../guards/defineGuard.js';
import { Broken, SKIPPED } from './failClosed.js';
import type { GuardTrail } from './GuardTrail.js';
import type { GuardAnswer } from '../guards/Guard.js';

/**
 * Turns the rules' answers into records on a call's decision (redacted, capped), and says whether each blocks the
 * call. Made once per pipeline: the records of passing rules are built here, not per call.
 */
export class DecisionRecorder {
	readonly #mode: Mode;
	readonly #redaction: RedactionPolicy;
	/** A passing record is the same every time: one frozen object per rule, not one per call. */
	readonly #passed = new Map<ContractRule, ContractRecord>();
	readonly #allowed = new Map<HookRule, HookRecord>();

	constructor(mode: Mode, redaction: RedactionPolicy, contracts: readonly ContractRule[], hooks: readonly HookRule[]) {
		this.#mode = mode;
		this.#redaction = redaction;
		for (const rule of contracts)
			this.#passed.set(rule, Object.freeze({ name: rule.name, type: rule.type, passed: true }));
		for (const hook of hooks) this.#allowed.set(hook, Object.freeze({ name: hook.name, result: 'allow' }));
	}

	/** The record of `rule` passing: the same frozen object every time. */
	passed(rule: ContractRule): ContractRecord {
		return this.#passed.get(rule) as ContractRecord;
	}

	/** Records a contract's outcome; returns true when it blocks the call. */
	judge(rule: ContractRule, outcome: Verdict | Broken, source: DecisionSource, decision: DecisionBuilder): boolean {
		const record = this.record(rule, outcome, this.#mode === 'observe' || rule.mode === 'observe');
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

	/** Records a before-hook's answer; returns true when it blocks the call. */
	judgeHook(hook: HookRule, answer: unknown, decision: DecisionBuilder): boolean {
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
		const reason = this.#redaction.redactText(answer.reason ?? hook.name);
		if (answer.hold !== undefined) {
			decision.addHook({ name: hook.name, result: 'hold', reason });
			decision.hold(hook.name, reason, answer.hold, hook.mode === 'observe');
			return false;
		}
		decision.addHook({ name: hook.name, result: 'deny', reason });
		return decision.fail('hook', hook.name, reason);
	}

	/** Records a guard's answer; returns true when it ends evaluation (a blocking denial or replay). */
	judgeGuard(rule: GuardRule, answer: GuardAnswer | Broken, decision: DecisionBuilder, guards: GuardTrail): boolean {
		if (answer instanceof Broken) {
			guards.add(rule, false);
			return this.judge(rule, answer, 'behavior', decision);
		}
		guards.add(rule, answer.kind === 'pass');
		if (answer.kind === 'pass') {
			decision.addContract(this.#passed.get(rule) as ContractRecord);
			return false;
		}
		const redaction = this.#redaction;
		const observed = this.#mode === 'observe' || rule.mode === 'observe';
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

	/** The record of a contract's outcome (also used for postconditions, which never block). */
	record(rule: ContractRule, outcome: Verdict | Broken, observed: boolean): ContractRecord {
		const redaction = this.#redaction;
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
		const reason = this.#redaction.redactText(capMessage(message));
		decision.addHook({ name: rule, result: 'deny', reason });
		return decision.fail('policy_error', rule, reason);
	}
}
