import type { HoldOptions } from '../decisions/ApprovalRequest.js';
import { resolveHold, type ResolvedHold } from '../decisions/holdOptions.js';
import { capMessage } from '../_internal/text.js';

const HOOK_DECISION = Symbol.for('toolwarden.hookDecision.v1');

/** What a before-hook answers: allow the call to go on, or deny it with a reason for the agent. */
export interface HookDecision {
	readonly allowed: boolean;
	/** Why the call was denied; at most 500 characters (longer ones end in `...`). */
	readonly reason?: string;
	/** Set by `HookDecision.hold`: the call waits for a person's approval (`allowed` is false, `reason` says why). */
	readonly hold?: ResolvedHold;
}

const ALLOW: HookDecision = Object.freeze(Object.defineProperty({ allowed: true }, HOOK_DECISION, { value: true }));

/**
 * Makes hook decisions.
 *
 * @example
 * ```ts
 * beforeHook('deploy', (call) =>
 *   call.environment === 'production' ? HookDecision.deny('Deploys to production need a human; open a change request.') : HookDecision.allow());
 * ```
 */
export const HookDecision = Object.freeze({
	allow(): HookDecision {
		return ALLOW;
	},
	/** @throws TypeError when `reason` is not a non-empty string */
	deny(reason: string): HookDecision {
		if (typeof reason !== 'string' || reason === '')
			throw new TypeError('HookDecision.deny(reason) needs a non-empty reason string for the agent.');
		return Object.freeze(
			Object.defineProperty({ allowed: false, reason: capMessage(reason) }, HOOK_DECISION, { value: true }),
		);
	},
	/**
	 * The call needs a person's approval (API §10); the rest of the pipeline still runs. `message` says why.
	 * @throws TypeError when `message` is not a non-empty string or `options` are invalid
	 * @example
	 * ```ts
	 * beforeHook('deploy', (call) => (call.environment === 'production' ? HookDecision.hold('Production deploy.') : HookDecision.allow()));
	 * ```
	 */
	hold(message: string, options?: HoldOptions): HookDecision {
		if (typeof message !== 'string' || message === '')
			throw new TypeError('HookDecision.hold(message) needs a non-empty message string for the approver.');
		const hold = resolveHold(options, 'HookDecision.hold');
		return Object.freeze(
			Object.defineProperty({ allowed: false, reason: capMessage(message), hold }, HOOK_DECISION, { value: true }),
		);
	},
});

export function isHookDecision(value: unknown): value is HookDecision {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HOOK_DECISION] === true;
}
