import { capMessage } from '../_internal/text.js';

const HOOK_DECISION = Symbol.for('toolwarden.hookDecision.v1');

/** What a before-hook answers: allow the call to go on, or deny it with a reason for the agent. */
export interface HookDecision {
	readonly allowed: boolean;
	/** Why the call was denied; at most 500 characters (longer ones end in `...`). */
	readonly reason?: string;
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
		if (typeof reason !== 'string' || reason === '') throw new TypeError('HookDecision.deny(reason) needs a non-empty reason string for the agent.');
		return Object.freeze(Object.defineProperty({ allowed: false, reason: capMessage(reason) }, HOOK_DECISION, { value: true }));
	},
});

export function isHookDecision(value: unknown): value is HookDecision {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HOOK_DECISION] === true;
}
