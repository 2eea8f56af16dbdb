import type { HoldOptions } from '../decisions/ApprovalRequest.js';
import { resolveHold, type ResolvedHold } from '../decisions/holdOptions.js';
import { capMessage } from '../_internal/text.js';

// Shared across package copies, so a Verdict made by one copy is still recognised by another.
const VERDICT = Symbol.for('toolwarden.verdict.v1');

/**
 * The answer of a contract: passed, or failed with a message for the agent. A Verdict is a frozen object made only by
 * `Verdict.pass()`, `Verdict.fail(message)` and `Verdict.hold(message)`; a look-alike plain object is not one, and a contract returning it
 * fails closed (source `policy_error`).
 */
export interface Verdict {
	readonly passed: boolean;
	/** Why the call failed, written for the agent; at most 500 characters (longer ones end in `...`). */
	readonly message?: string;
	/** Structured context, audited (redacted) with the contract's record. */
	readonly metadata?: Readonly<Record<string, unknown>>;
	/** Set by `Verdict.hold`: the call waits for a person's approval (`passed` is false). */
	readonly hold?: ResolvedHold;
}

/** What `Verdict.pass()` returns: one frozen object (the pipeline recognises it by identity first). */
export const PASS: Verdict = Object.freeze(Object.defineProperty({ passed: true }, VERDICT, { value: true }));

/**
 * Makes verdicts.
 *
 * @example
 * ```ts
 * precondition('send_email', (call) =>
 *   String(call.args.to).endsWith('@example.com')
 *     ? Verdict.pass()
 *     : Verdict.fail('Only @example.com recipients are allowed. Ask the user to confirm external recipients.'));
 * ```
 */
export const Verdict = Object.freeze({
	/** The call may go on. */
	pass(): Verdict {
		return PASS;
	},
	/**
	 * The call breaks the rule. `message` tells the agent what to do instead.
	 * @throws TypeError when `message` is not a non-empty string
	 */
	fail(message: string, metadata?: Record<string, unknown>): Verdict {
		if (typeof message !== 'string' || message === '')
			throw new TypeError('Verdict.fail(message) needs a non-empty message string for the agent.');
		const verdict =
			metadata === undefined
				? { passed: false, message: capMessage(message) }
				: { passed: false, message: capMessage(message), metadata };
		return Object.freeze(Object.defineProperty(verdict, VERDICT, { value: true }));
	},
	/**
	 * The call needs a person's approval (API §10): the rest of the pipeline still runs, and when nothing denies the
	 * call it is held (`decision.action === 'hold'`) until someone approves it. `message` tells the approver (and the
	 * agent) why.
	 * @throws TypeError when `message` is not a non-empty string or `options` are invalid
	 * @example
	 * ```ts
	 * precondition('refund', (call) =>
	 *   Number(call.args.amount) > 500 ? Verdict.hold('Refunds over $500 need a supervisor.', { approvers: ['sup'] }) : Verdict.pass());
	 * ```
	 */
	hold(message: string, options?: HoldOptions): Verdict {
		if (typeof message !== 'string' || message === '')
			throw new TypeError('Verdict.hold(message) needs a non-empty message string for the approver.');
		const hold = resolveHold(options, 'Verdict.hold');
		const verdict = {
			passed: false,
			message: capMessage(message),
			hold,
			...(hold.metadata === undefined ? {} : { metadata: hold.metadata }),
		};
		return Object.freeze(Object.defineProperty(verdict, VERDICT, { value: true }));
	},
});

/** Whether `value` is a Verdict made by `Verdict.pass` or `Verdict.fail`. */
export function isVerdict(value: unknown): value is Verdict {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[VERDICT] === true;
}
