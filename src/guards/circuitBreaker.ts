import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import { andThen, andThenWith } from '../_internal/awaitable.js';
import { checkLimit } from '../_internal/validate.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { classifyError, RETRYABLE, type ErrorClass } from './errorClass.js';
import { deny, PASS, type GuardAnswer, type GuardContext, type GuardOptions } from './Guard.js';
import { quarantine, quarantineReport } from './quarantine.js';

/** Options of {@link circuitBreaker}. */
export interface CircuitBreakerOptions extends GuardOptions {
	/**
	 * Consecutive failures of one retryable class (timeout, connection, 429, 5xx) that open the breaker.
	 * @default 2
	 */
	readonly sameClassFailures?: number;
	/**
	 * Consecutive failures of any class (even with different args) that open the breaker.
	 * @default 3
	 */
	readonly anyFailures?: number;
	/**
	 * After this long, one trial call is let through (half-open): a success closes the breaker, a failure reopens it.
	 * @default undefined (the tool stays quarantined for the session)
	 */
	readonly cooldownMs?: number;
}

interface ToolState {
	readonly failures: number;
	readonly sameClass: number;
	readonly lastClass: ErrorClass | null;
	readonly openedAt: number | null;
	readonly reason: string | null;
	/** A half-open trial call is in flight. */
	readonly trial: boolean;
}

/** One storage key per tool, in a bounded group (tool names come from the model). */
const GROUP = 'circuitBreaker';
const BOUND = { group: GROUP, max: 1000 };

/**
 * The storage key of a tool's breaker. Every call reads it and most write it back: the key string is made once per
 * tool name (a bounded number of names), not per call.
 */
function keyOf(toolName: string): string {
	let key = KEYS.get(toolName);
	if (key === undefined) {
		if (KEYS.size >= BOUND.max) KEYS.clear();
		KEYS.set(toolName, (key = `${GROUP}:${toolName}`));
	}
	return key;
}
const KEYS = new Map<string, string>();
const CLOSED: ToolState = { failures: 0, sameClass: 0, lastClass: null, openedAt: null, reason: null, trial: false };
const LABEL: Readonly<Record<ErrorClass, string>> = {
	timeout: 'timed out',
	connection: 'could not connect',
	'401': 'was unauthorized (401)',
	'403': 'was forbidden (403)',
	'429': 'was rate limited (429)',
	'5xx': 'hit a server error (5xx)',
	validation: 'rejected its input',
	other: 'failed',
};

/**
 * Stops retry storms. Failures are normalised into classes (timeout, connection, 401, 403, 429, 5xx, validation,
 * other); `sameClassFailures` consecutive retryable failures of one class, or `anyFailures` consecutive failures of
 * any class on one tool (even with different args), open the breaker: the tool is quarantined for the session, and
 * the denial tells the agent to stop retrying. A success resets the count. With `cooldownMs` the breaker goes
 * half-open after the cooldown. The rule name is `circuitBreaker`.
 *
 * @example
 * ```ts
 * circuitBreaker({ cooldownMs: 30_000 });
 * ```
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): Contract {
	const o = guardOptions(options, 'circuitBreaker', ['sameClassFailures', 'anyFailures', 'cooldownMs']);
	const sameClassFailures = checkLimit(o['sameClassFailures'], 'circuitBreaker options.sameClassFailures', 2);
	const anyFailures = checkLimit(o['anyFailures'], 'circuitBreaker options.anyFailures', 3);
	const cooldownMs =
		o['cooldownMs'] === undefined ? undefined : checkLimit(o['cooldownMs'], 'circuitBreaker options.cooldownMs');
	if (sameClassFailures < 1 || anyFailures < 1)
		throw new ConfigError('circuitBreaker failure thresholds must be at least 1.');

	/** An open breaker: deny, or let one trial call through once the cooldown has passed (atomically). */
	const check = (ctx: GuardContext) => {
		const { toolName, sessionId } = ctx.call;
		return ctx.storage.update<ToolState, GuardAnswer>(
			sessionId,
			keyOf(toolName),
			(tool) => {
				if (tool?.openedAt === undefined || tool.openedAt === null) return { value: tool, result: PASS };
				if (cooldownMs !== undefined && !tool.trial && ctx.now - tool.openedAt >= cooldownMs)
					return { value: { ...tool, trial: true }, result: PASS };
				return {
					value: tool,
					result: deny(tool.reason ?? `"${toolName}" is quarantined.`, { failures: tool.failures }),
				};
			},
			BOUND,
		);
	};

	const checkIfOpen = (seen: ToolState | undefined, ctx: GuardContext) =>
		seen?.openedAt === undefined || seen.openedAt === null ? PASS : check(ctx);
	const close = (seen: ToolState | undefined, ctx: GuardContext) =>
		seen === undefined
			? undefined
			: ctx.storage.update<ToolState, void>(
					ctx.call.sessionId,
					keyOf(ctx.call.toolName),
					() => ({ value: undefined, result: undefined }),
					BOUND,
				);

	return defineGuard(
		'circuitBreaker',
		{
			pre(ctx) {
				const { toolName, sessionId } = ctx.call;
				// A closed breaker (the common case) is decided by a plain read; an open one takes the atomic update.
				return andThenWith(ctx.storage.read<ToolState>(sessionId, keyOf(toolName), BOUND), ctx, checkIfOpen);
			},
			release(ctx) {
				const { toolName, sessionId } = ctx.call;
				return ctx.storage.update<ToolState, void>(
					sessionId,
					keyOf(toolName),
					(tool) => ({ value: tool?.trial === true ? { ...tool, trial: false } : tool, result: undefined }),
					BOUND,
				);
			},
			post(ctx, outcome) {
				const { toolName, sessionId } = ctx.call;
				// A success closes the breaker: a tool that has not failed (the common case) has nothing to reset.
				if (outcome.ok) return andThenWith(ctx.storage.read<ToolState>(sessionId, keyOf(toolName), BOUND), ctx, close);
				const opened = ctx.storage.update<ToolState, string | null>(
					sessionId,
					keyOf(toolName),
					(current) => {
						const tool = current ?? CLOSED;
						const cls = classifyError(outcome.error);
						const sameClass = cls === tool.lastClass ? tool.sameClass + 1 : 1;
						const failures = tool.failures + 1;
						const trips =
							tool.trial || (RETRYABLE.has(cls) && sameClass >= sameClassFailures) || failures >= anyFailures;
						if (!trips) return { value: { ...tool, failures, sameClass, lastClass: cls, trial: false }, result: null };
						const why =
							RETRYABLE.has(cls) && sameClass >= sameClassFailures
								? `${LABEL[cls]} ${sameClass} times in a row`
								: `failed ${failures} times in a row`;
						const wait =
							cooldownMs === undefined ? 'for the rest of this session' : `for ${Math.ceil(cooldownMs / 1000)} s`;
						const reason = `"${toolName}" ${why}, so it is quarantined ${wait}. Stop retrying it: use another tool, or tell the user the service is failing.`;
						return {
							value: { failures, sameClass, lastClass: cls, openedAt: ctx.now, reason, trial: false },
							result: reason,
						};
					},
					BOUND,
				);
				return andThen(opened, (reason) =>
					reason === null ? undefined : quarantine(ctx.storage, sessionId, 'circuitBreaker', [toolName], reason),
				);
			},
			report: quarantineReport,
		},
		o,
	);
}
