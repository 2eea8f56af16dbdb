import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import { checkLimit } from '../_internal/validate.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { classifyError } from './errorClass.js';
import { canonicalPrefix } from '../_internal/canonicalJson.js';
import { callFingerprint, digest } from './fingerprint.js';
import { fingerprintWith } from '../storage/fingerprintKey.js';
import { keepResult } from './keepResult.js';
import { andThenWith } from '../_internal/awaitable.js';
import {
	deny,
	PASS,
	perCall,
	type GuardAnswer,
	type GuardContext,
	type GuardOptions,
	type GuardOutcome,
} from './Guard.js';

/** Options of {@link repeatGuard}. */
export interface RepeatGuardOptions extends GuardOptions {
	/**
	 * The identical call (same tool, same canonical args) that intervenes once its earlier runs all had the same
	 * outcome: with 3, two identical calls with identical outcomes run, the third is a loop.
	 * @default 3
	 */
	readonly threshold?: number;
	/**
	 * Loop-classified repeats answered with the last successful result (the tool does not run) before they are denied.
	 * @default 2
	 */
	readonly maxReplays?: number;
	/**
	 * Tools that legitimately repeat (status pollers): they get `pollThreshold` instead of `threshold`.
	 * @default []
	 */
	readonly pollTools?: readonly string[];
	/** @default 10 */
	readonly pollThreshold?: number;
	/**
	 * Arg keys left out of a call's identity, per tool (`'*'` for every tool): request ids, timestamps, nonces.
	 * @example { '*': ['requestId'], search: ['page_token'] }
	 * @default {}
	 */
	readonly ignoreArgs?: Readonly<Record<string, readonly string[]>>;
	/**
	 * Distinct calls remembered per session (least recently seen forgotten first): bounds the state.
	 * @default 64
	 */
	readonly window?: number;
}

interface Entry {
	/** Fingerprint of the last outcome (`ok:<hash>` or `err:<class>`). */
	outcome: string | null;
	/** Runs in a row that ended with that outcome. */
	streak: number;
	/** Replays answered since the last run. */
	replays: number;
	/** The last successful result, for replays. */
	result?: unknown;
	hasResult: boolean;
}

/** One storage key per call fingerprint, in a group bounded by the window. */
const GROUP = 'repeatGuard';

/**
 * Stops loops: the same call repeated with the same outcome. Calls are identified by tool and canonical args; a
 * repeat is a loop only when its recent outcomes repeat too (the same result, or the same class of failure), so a
 * poller whose results change (queued, running 10%, running 40%, done) is never stopped.
 *
 * At the `threshold`-th identical call with identical outcomes, the first `maxReplays` repeats get the last
 * successful result replayed (decision `replay`: the tool does not run), or are denied when there is none; later
 * repeats are denied, so an agent cannot sit on a cached answer forever. The rule name is `repeatGuard`.
 *
 * @example
 * ```ts
 * new Warden({ contracts: [repeatGuard({ pollTools: ['job_status'], ignoreArgs: { '*': ['requestId'] } })] });
 * ```
 */
export function repeatGuard(options: RepeatGuardOptions = {}): Contract {
	const o = guardOptions(options, 'repeatGuard', [
		'threshold',
		'maxReplays',
		'pollTools',
		'pollThreshold',
		'ignoreArgs',
		'window',
	]);
	const threshold = atLeast(o['threshold'], 'threshold', 3, 2);
	const maxReplays = checkLimit(o['maxReplays'], 'repeatGuard options.maxReplays', 2);
	const pollThreshold = atLeast(o['pollThreshold'], 'pollThreshold', 10, 2);
	const window = atLeast(o['window'], 'window', 64, 1);
	const pollTools = new Set(stringList(o['pollTools'], 'pollTools'));
	const ignore = ignoreLists(o['ignoreArgs']);
	const ignoring = Object.keys(ignore).length > 0;
	const keyOf = perCall((ctx: GuardContext) => {
		const { toolName, args } = ctx.call;
		const ignored = ignoring ? [...(ignore['*'] ?? []), ...(ignore[toolName] ?? [])] : undefined;
		return `${GROUP}:${callFingerprint(ctx.storage, toolName, args, ignored)}`;
	});
	const bound = { group: GROUP, max: window };
	/** Re-checks a possible loop atomically and answers it: replay while replays remain, then deny. */
	const intervene = (ctx: GuardContext, limit: number) =>
		ctx.storage.update<Entry, GuardAnswer>(
			ctx.call.sessionId,
			keyOf(ctx),
			(entry) => {
				if (entry === undefined || entry.outcome === null || entry.streak < limit - 1)
					return { value: entry, result: PASS };
				const times = entry.streak + entry.replays + 1;
				if (entry.hasResult && entry.replays < maxReplays) {
					return {
						value: { ...entry, replays: entry.replays + 1 },
						result: {
							kind: 'replay',
							result: entry.result,
							message: `You have called "${ctx.call.toolName}" with these arguments ${times} times and got the same result each time; here it is again without running the tool. Use it, or change your approach.`,
						},
					};
				}
				return {
					value: entry,
					result: deny(
						entry.hasResult
							? `Loop detected: "${ctx.call.toolName}" was called with the same arguments ${times} times with the same result. Stop repeating it: use the result you have or try a different approach.`
							: `Loop detected: "${ctx.call.toolName}" failed the same way ${entry.streak} times with these arguments. Do not retry it unchanged: change the arguments or report the failure.`,
						{ repeats: times },
					),
				};
			},
			bound,
		);

	const checkLoop = (seen: Entry | undefined, ctx: GuardContext) => {
		const limit = pollTools.has(ctx.call.toolName) ? pollThreshold : threshold;
		return seen === undefined || seen.outcome === null || seen.streak < limit - 1 ? PASS : intervene(ctx, limit);
	};

	return defineGuard(
		'repeatGuard',
		{
			pre(ctx) {
				// Most calls are not loops: a plain read decides that; only a possible loop takes the atomic update.
				return andThenWith(ctx.storage.read<Entry>(ctx.call.sessionId, keyOf(ctx), bound), ctx, checkLoop);
			},
			post(ctx, outcome) {
				// Stored as a keyed fingerprint, and the result redacted: the store never holds a result's text as is.
				const key = outcomeKey(outcome);
				const seen = outcome.ok ? `ok:${fingerprintWith(ctx.storage, key)}` : key;
				const kept = outcome.ok ? keepResult(ctx.redaction, outcome.result) : undefined;
				return ctx.storage.update<Entry, void>(
					ctx.call.sessionId,
					keyOf(ctx),
					(previous) => {
						const same = previous !== undefined && previous.outcome === seen;
						const hasResult = outcome.ok || previous?.hasResult === true;
						// One shape for every entry (`result` undefined when there is none): no spread, no second object.
						const entry: Entry = {
							outcome: seen,
							streak: same ? previous.streak + 1 : 1,
							replays: same ? previous.replays : 0,
							result: outcome.ok ? kept : hasResult ? previous?.result : undefined,
							hasResult,
						};
						return { value: entry, result: undefined };
					},
					bound,
				);
			},
		},
		o,
	);
}

/** Results are compared on their first 64 KB of canonical JSON: bounded work per call, whatever the result size. */
const OUTCOME_PREFIX = 65_536;

/**
 * What makes two outcomes "the same": the canonical result (as text or a digest of it: `post` stores only a keyed
 * fingerprint of it), or the class of the failure.
 */
function outcomeKey(outcome: GuardOutcome): string {
	if (!outcome.ok) return `err:${classifyError(outcome.error)}`;
	const { result } = outcome;
	// Primitives are their own key: no serialisation, no hash.
	if (result === null || (typeof result !== 'object' && typeof result !== 'string' && typeof result !== 'function'))
		return `${typeof result}:${String(result)}`;
	let text: string | undefined;
	try {
		text =
			typeof outcome.result === 'string'
				? outcome.result.slice(0, OUTCOME_PREFIX)
				: canonicalPrefix(outcome.result, OUTCOME_PREFIX);
	} catch {
		text = undefined;
	}
	// An unserialisable result never equals another: such a call is never taken for a loop.
	return text === undefined ? `${Math.random()}` : digest(text);
}

function atLeast(value: unknown, name: string, fallback: number, min: number): number {
	const n = checkLimit(value, `repeatGuard options.${name}`, fallback);
	if (n < min) throw new ConfigError(`repeatGuard options.${name} must be at least ${min}.`);
	return n;
}

function stringList(value: unknown, name: string): string[] {
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
		throw new ConfigError(`options.${name} must be an array of tool names.`);
	return value as string[];
}

function ignoreLists(value: unknown): Readonly<Record<string, readonly string[]>> {
	if (value === undefined) return {};
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new ConfigError('repeatGuard options.ignoreArgs must be an object of tool name to arg names.');
	for (const [tool, keys] of Object.entries(value)) stringList(keys, `ignoreArgs.${tool}`);
	return value as Record<string, readonly string[]>;
}
