import { compileSelector, type ToolSelector } from '../contracts/ToolSelector.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { brandRule, ruleName, type HookOutcome, type HookRule } from '../contracts/rules.js';
import { checkFunction, checkKeys } from '../_internal/validate.js';
import type { HookDecision } from './HookDecision.js';

/**
 * Options of {@link beforeHook} and {@link afterHook}.
 */
export interface HookOptions {
	/**
	 * The hook's name in decisions and audit events (the decision's `rule` when it denies).
	 * @default the function's name; for an unnamed function, the kind, selector and 1-based position in
	 * `WardenOptions.hooks` (`beforeHook(refund)#2`)
	 */
	readonly name?: string;
	/**
	 * Run the hook only for calls where this returns true. A `when` that throws fails closed.
	 * @default always
	 */
	readonly when?: (call: ToolEnvelope) => boolean | Promise<boolean>;
}

/** A hook made by {@link beforeHook} or {@link afterHook}; pass it in `WardenOptions.hooks`. */
export interface Hook {
	readonly kind: 'before' | 'after';
	readonly name: string;
}

export type { HookOutcome };

/**
 * A hook that runs before the preconditions and can deny a call (source `hook`). A hook that throws, or returns
 * anything but a {@link HookDecision}, denies the call (source `policy_error`): governance fails closed.
 *
 * @example
 * ```ts
 * const businessHours = beforeHook('refund', function businessHours() {
 *   const hour = new Date().getUTCHours();
 *   return hour >= 8 && hour < 18 ? HookDecision.allow() : HookDecision.deny('Refunds run in business hours; queue it instead.');
 * });
 * ```
 */
export function beforeHook(
	selector: ToolSelector,
	fn: (call: ToolEnvelope) => HookDecision | Promise<HookDecision>,
	options?: HookOptions,
): Hook {
	return defineHook('before', selector, fn, options);
}

/**
 * A hook that runs after the tool (and the postconditions), with the outcome. It cannot change the call; one that
 * throws is recorded as a warning in the audit trail and never breaks the call.
 *
 * @example
 * ```ts
 * afterHook('*', (call, outcome) => metrics.count(call.toolName, outcome.ok));
 * ```
 */
export function afterHook(
	selector: ToolSelector,
	fn: (call: ToolEnvelope, outcome: HookOutcome) => void | Promise<void>,
	options?: HookOptions,
): Hook {
	return defineHook('after', selector, fn, options);
}

function defineHook(
	kind: 'before' | 'after',
	selector: ToolSelector,
	fn: unknown,
	options: HookOptions | undefined,
): Hook {
	const where = `${kind}Hook`;
	checkFunction(fn, `${where}: the hook`);
	if (options !== undefined) {
		checkKeys(options, ['name', 'when'], `${where} options`);
		if (options.name !== undefined && (typeof options.name !== 'string' || options.name === ''))
			throw new ConfigError(`${where}: options.name must be a non-empty string.`);
		if (options.when !== undefined) checkFunction(options.when, `${where}: options.when`);
	}
	return brandRule<HookRule>(
		{
			kind,
			...ruleName(options?.name, fn, where, selector),
			mode: undefined,
			matches: compileSelector(selector, where),
			when: options?.when,
			fn: fn as HookRule['fn'],
		},
		'hook',
	);
}
