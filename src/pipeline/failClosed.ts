import { isVerdict, PASS as PASSED, type Verdict } from '../contracts/Verdict.js';
import type { ContractRule, HookRule, Rule } from '../contracts/rules.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { StorageUnavailableError } from '../errors/StorageUnavailableError.js';
import type { GuardRule } from '../guards/defineGuard.js';
import { PASS, type GuardAnswer, type GuardContext } from '../guards/Guard.js';
import { isThenable } from '../_internal/isThenable.js';
import { describeValue, errorMessage, errorName } from '../_internal/text.js';

// How the pipeline calls user code (contracts, `when`, hooks, guards): fail-closed. Whatever a rule throws, rejects
// with or answers that is not an answer becomes a {@link Broken}, which denies the call (source `policy_error`).
// Synchronous answers stay synchronous: no promise is allocated for a rule that does not return one.

/**
 * Asks a guard; a guard that throws, rejects or answers nonsense is {@link Broken} (it fails closed). A store failure
 * is not the guard's: it propagates, and the call is decided as the store being unavailable (`storage_unavailable`).
 */
export function askGuard(rule: GuardRule, context: GuardContext): GuardAnswer | Broken | Promise<GuardAnswer | Broken> {
	let answer: unknown;
	try {
		answer = rule.guard.pre === undefined ? PASS : rule.guard.pre(context);
	} catch (error) {
		if (error instanceof StorageUnavailableError) throw error;
		return new Broken(`Guard "${rule.name}" threw ${errorName(error)}: ${errorMessage(error)}`);
	}
	if (answer === PASS) return PASS;
	return isThenable(answer) ? guardAnswerLater(rule, answer) : guardAnswer(rule, answer);
}

// The asynchronous continuations below are functions of their own: a closure inside a function that runs for every
// rule of every call would make each run allocate a context for what the closure captures, even when it is not made.

function guardAnswerLater(rule: GuardRule, answer: PromiseLike<unknown>): Promise<GuardAnswer | Broken> {
	return Promise.resolve(answer).then(
		(settled) => guardAnswer(rule, settled),
		(error: unknown) => {
			if (error instanceof StorageUnavailableError) throw error;
			return new Broken(`Guard "${rule.name}" threw ${errorName(error)}: ${errorMessage(error)}`);
		},
	);
}

function guardAnswer(rule: GuardRule, answer: unknown): GuardAnswer | Broken {
	const kind = (answer as Partial<GuardAnswer> | null)?.kind;
	return kind === 'pass' || kind === 'deny' || kind === 'replay'
		? (answer as GuardAnswer)
		: new Broken(`Guard "${rule.name}" answered ${describeValue(answer)}`);
}

/** A rule that misbehaved (threw, rejected, answered with the wrong type): it fails closed. */
export class Broken {
	constructor(readonly problem: string) {}
}

export const SKIPPED = Symbol('skipped');

export function applies_(rule: Rule, call: ToolEnvelope): boolean | Promise<boolean> {
	return rule.when === undefined ? true : rule.when(call);
}

/** Awaits a thenable, turning a rejection into a {@link Broken} so nothing downstream has to catch. */
export function settle(value: unknown): Promise<unknown> {
	return Promise.resolve(value).then(
		(settled) => settled,
		(error: unknown) => new Broken(`threw ${errorName(error)}: ${errorMessage(error)}`),
	);
}

/** Runs a contract's check. Never throws, never rejects. */
export function invoke(rule: ContractRule, a: unknown, b: unknown): Verdict | Broken | Promise<Verdict | Broken> {
	let answer: unknown;
	try {
		answer = rule.check(a, b);
	} catch (error) {
		return new Broken(`Contract "${rule.name}" threw ${errorName(error)}: ${errorMessage(error)}`);
	}
	if (answer === PASSED) return PASSED;
	return isThenable(answer) ? verdictLater(rule, answer) : verdictOrBroken(rule, answer);
}

function verdictLater(rule: ContractRule, answer: unknown): Promise<Verdict | Broken> {
	return settle(answer).then((settled) =>
		settled instanceof Broken
			? new Broken(`Contract "${rule.name}" ${settled.problem}`)
			: verdictOrBroken(rule, settled),
	);
}

function verdictOrBroken(rule: ContractRule, answer: unknown): Verdict | Broken {
	return isVerdict(answer)
		? answer
		: new Broken(
				`Contract "${rule.name}" returned ${describeValue(answer)} instead of a Verdict (use Verdict.pass() or Verdict.fail(message))`,
			);
}

/**
 * Runs `when` (on the envelope), then the check with `(a, b)`. Returns the Verdict, a {@link Broken} when the rule
 * misbehaved, or undefined when `when` says the rule does not apply. Never throws, never rejects.
 */
export function checkRule(
	rule: ContractRule,
	call: ToolEnvelope,
	a: unknown,
	b: unknown,
): Verdict | Broken | undefined | Promise<Verdict | Broken | undefined> {
	if (rule.when === undefined) return invoke(rule, a, b);
	let applies: unknown;
	try {
		applies = rule.when(call);
	} catch (error) {
		return new Broken(`Contract "${rule.name}" threw ${errorName(error)}: ${errorMessage(error)}`);
	}
	if (!isThenable(applies)) return applies === true ? invoke(rule, a, b) : undefined;
	return checkLater(rule, applies, a, b);
}

function checkLater(
	rule: ContractRule,
	applies: unknown,
	a: unknown,
	b: unknown,
): Promise<Verdict | Broken | undefined> {
	return settle(applies).then((answer) =>
		answer instanceof Broken
			? new Broken(`Contract "${rule.name}" ${answer.problem}`)
			: answer === true
				? invoke(rule, a, b)
				: undefined,
	);
}

/** A before-hook's answer (possibly a promise), or a {@link Broken}. Never throws. */
export function askHook(hook: HookRule, call: ToolEnvelope): unknown {
	try {
		const applies = applies_(hook, call);
		if (isThenable(applies)) return hookAppliesLater(hook, call, applies);
		if (applies !== true) return SKIPPED;
		const answer = hook.fn(call);
		return isThenable(answer) ? hookAnswerLater(hook, answer) : answer;
	} catch (error) {
		return new Broken(`Hook "${hook.name}" threw ${errorName(error)}: ${errorMessage(error)}`);
	}
}

function hookAppliesLater(hook: HookRule, call: ToolEnvelope, applies: unknown): Promise<unknown> {
	return settle(applies).then((answer) => {
		if (answer instanceof Broken) return new Broken(`Hook "${hook.name}" ${answer.problem}`);
		return answer === true ? hookAnswerLater(hook, hook.fn(call)) : SKIPPED;
	});
}

function hookAnswerLater(hook: HookRule, answer: unknown): Promise<unknown> {
	return settle(answer).then((a) => (a instanceof Broken ? new Broken(`Hook "${hook.name}" ${a.problem}`) : a));
}

/** Records a before-hook's answer; returns true when it blocks the call. */
