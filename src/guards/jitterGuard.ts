import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import { andThen } from '../_internal/awaitable.js';
import { checkLimit } from '../_internal/validate.js';
import { fingerprintWith } from '../storage/fingerprintKey.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { deny, PASS, type GuardAnswer, type GuardOptions } from './Guard.js';
import { quarantine, quarantineReport } from './quarantine.js';

/** Options of {@link jitterGuard}. */
export interface JitterGuardOptions extends GuardOptions {
	/**
	 * The query tools to watch, and the arg (or args) holding each one's query text.
	 * @example { web_search: 'query', crm_lookup: ['name', 'company'] }
	 */
	readonly queryTools: Readonly<Record<string, string | readonly string[]>>;
	/**
	 * Two queries are near-identical when their token overlap coefficient (shared tokens / tokens of the shorter one)
	 * reaches this.
	 * @default 0.6
	 */
	readonly similarity?: number;
	/**
	 * Near-identical queries allowed on one tool: a query near-identical to `maxSimilar` earlier ones in the window
	 * (the 4th with the default) is denied and the tool is quarantined for the session. Three tries at one question
	 * is ordinary refinement; a fourth rephrasing is the loop.
	 * @default 3
	 */
	readonly maxSimilar?: number;
	/**
	 * Recent queries remembered per tool.
	 * @default 10
	 */
	readonly window?: number;
}

interface State {
	readonly recent: Readonly<Record<string, readonly (readonly string[])[]>>;
	readonly quarantined: Readonly<Record<string, string>>;
}

const KEY = 'jitterGuard';
const EMPTY: State = { recent: {}, quarantined: {} };
const WORD = /[\p{L}\p{N}]+/gu;

/** Lowercase Unicode word tokens of a query, without duplicates. */
export function queryTokens(text: string): string[] {
	return [...new Set(text.toLowerCase().match(WORD) ?? [])];
}

/** |A ∩ B| / min(|A|, |B|): 1 when one query's words are all in the other. */
export function overlapCoefficient(a: readonly string[], b: readonly string[]): number {
	if (a.length === 0 || b.length === 0) return 0;
	const [small, large] = a.length <= b.length ? [a, new Set(b)] : [b, new Set(a)];
	let shared = 0;
	for (const token of small) if (large.has(token)) shared++;
	return shared / small.length;
}

/**
 * Stops argument jitter: an agent rephrasing the same query over and over ("refund policy", "policy for refunds",
 * "refunds policy details") without using what it found. On the declared query tools, once a query is near-identical
 * (token overlap) to `maxSimilar` recent ones (the 4th such query, by default), the call is denied and the tool is
 * quarantined for the session.
 * The rule name is `jitterGuard`.
 *
 * @example
 * ```ts
 * jitterGuard({ queryTools: { web_search: 'query', kb_search: ['q', 'topic'] } });
 * ```
 */
export function jitterGuard(options: JitterGuardOptions): Contract {
	const o = guardOptions(options, 'jitterGuard', ['queryTools', 'similarity', 'maxSimilar', 'window']);
	const queryTools = o['queryTools'];
	if (
		typeof queryTools !== 'object' ||
		queryTools === null ||
		Array.isArray(queryTools) ||
		Object.keys(queryTools).length === 0
	) {
		throw new ConfigError(
			'jitterGuard needs queryTools: an object of tool name to the query arg name(s), e.g. { web_search: "query" }.',
		);
	}
	const argsOf = new Map<string, readonly string[]>();
	for (const [tool, args] of Object.entries(queryTools as Record<string, unknown>)) {
		const list: unknown = typeof args === 'string' ? [args] : args;
		if (!Array.isArray(list) || list.length === 0 || list.some((a) => typeof a !== 'string' || a === ''))
			throw new ConfigError(`jitterGuard queryTools.${tool} must be an arg name or a non-empty array of arg names.`);
		argsOf.set(tool, list as string[]);
	}
	const similarity = o['similarity'] === undefined ? 0.6 : Number(o['similarity']);
	if (
		typeof o['similarity'] !== 'undefined' &&
		(typeof o['similarity'] !== 'number' || !(similarity > 0 && similarity <= 1))
	)
		throw new ConfigError('jitterGuard options.similarity must be a number in (0, 1].');
	const maxSimilar = checkLimit(o['maxSimilar'], 'jitterGuard options.maxSimilar', 3);
	const window = checkLimit(o['window'], 'jitterGuard options.window', 10);
	if (maxSimilar < 1 || window < maxSimilar) {
		throw new ConfigError('jitterGuard options.maxSimilar must be at least 1, and window at least maxSimilar.');
	}

	return defineGuard(
		'jitterGuard',
		{
			watches: (toolName) => argsOf.has(toolName),
			pre(ctx) {
				const { toolName, sessionId, args } = ctx.call;
				const names = argsOf.get(toolName);
				if (names === undefined) return PASS;
				// The store keeps keyed fingerprints of the tokens, never the query text: the overlap is the same.
				const text = names.map((name) =>
					typeof args[name] === 'string' ? args[name] : JSON.stringify(args[name] ?? ''),
				);
				const tokens = queryTokens(text.join(' ')).map((token) => fingerprintWith(ctx.storage, token));
				const answer = ctx.storage.update<State, GuardAnswer & { quarantined?: boolean }>(
					sessionId,
					KEY,
					(state = EMPTY) => {
						const reason = state.quarantined[toolName];
						if (reason !== undefined) return { value: state, result: deny(reason) };
						const recent = state.recent[toolName] ?? [];
						const similar =
							tokens.length === 0 ? 0 : recent.filter((seen) => overlapCoefficient(seen, tokens) >= similarity).length;
						if (similar >= maxSimilar) {
							const message =
								`"${toolName}" is quarantined for this session: ${similar + 1} near-identical queries. ` +
								'Stop rephrasing the same search; use what you have already found, or ask the user for more detail.';
							return {
								value: { recent: state.recent, quarantined: { ...state.quarantined, [toolName]: message } },
								result: { ...deny(message, { similarQueries: similar + 1 }), quarantined: true },
							};
						}
						const next = tokens.length === 0 ? recent : [...recent, tokens].slice(-window);
						return {
							value: { recent: { ...state.recent, [toolName]: next }, quarantined: state.quarantined },
							result: PASS,
						};
					},
				);
				return andThen(answer, (a) =>
					a.quarantined === true && a.kind === 'deny'
						? andThen(quarantine(ctx.storage, sessionId, 'jitterGuard', [toolName], a.message), () => a)
						: a,
				);
			},
			report: quarantineReport,
		},
		o,
	);
}
