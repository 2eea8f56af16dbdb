import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import { andThen, andThenWith, type Awaitable } from '../_internal/awaitable.js';
import { checkLimit } from '../_internal/validate.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { deny, PASS, type GuardAnswer, type GuardContext, type GuardOptions } from './Guard.js';
import { quarantine, quarantineReport } from './quarantine.js';

/** Options of {@link sequenceGuard}. */
export interface SequenceGuardOptions extends GuardOptions {
	/** @default 2 */
	readonly minCycle?: number;
	/** @default 4 */
	readonly maxCycle?: number;
	/**
	 * Times a cycle may repeat in a row: the call that completes the `repeats`-th round is denied.
	 * @default 3
	 */
	readonly repeats?: number;
}

interface State {
	readonly history: readonly string[];
	readonly quarantined: Readonly<Record<string, string>>;
}

const KEY = 'sequenceGuard';
const EMPTY: State = { history: [], quarantined: {} };

/**
 * The shortest cycle (of `min`..`max` tools, at least two distinct) repeated `repeats` times at the end of `history`.
 * It runs on every call and almost never finds one: it compares in place and allocates only the cycle it returns.
 */
function findCycle(history: readonly string[], min: number, max: number, repeats: number): string[] | undefined {
	const n = history.length;
	const last = history[n - 1];
	for (let length = min; length <= max; length++) {
		if (n < length * repeats) break;
		let distinct = false;
		for (let i = 1; i < length && !distinct; i++) distinct = history[n - 1 - i] !== last;
		if (!distinct) continue;
		let repeating = true;
		for (let i = length; i < length * repeats && repeating; i++)
			repeating = history[n - 1 - i] === history[n - 1 - (i % length)];
		if (repeating) return history.slice(n - length);
	}
	return undefined;
}

/** The last `keep` tool names once `toolName` is added: a new array, allocated once at its size. */
function slide(history: readonly string[], toolName: string, keep: number): string[] {
	const start = Math.max(0, history.length + 1 - keep);
	const next = new Array<string>(history.length + 1 - start);
	for (let i = start; i < history.length; i++) next[i - start] = history[i] as string;
	next[next.length - 1] = toolName;
	return next;
}

/** Records the quarantine of a cycle's tools, once the cycle was denied. */
function quarantineCycle(answer: GuardAnswer & { cycle?: string[] }, ctx: GuardContext): Awaitable<GuardAnswer> {
	if (answer.cycle === undefined || answer.kind !== 'deny') return answer;
	const tools = [...new Set(answer.cycle)];
	return andThen(quarantine(ctx.storage, ctx.call.sessionId, 'sequenceGuard', tools, answer.message), () => answer);
}

/**
 * Stops cycles between tools: ping-pong between two agents (A→B→A→B…), circular delegation among three
 * (A→B→C→A→B→C…). A cycle of `minCycle`..`maxCycle` tool names repeated `repeats` times in a row is denied, and every
 * tool in it is quarantined for the session; ordinary alternation below the threshold is not. The rule name is
 * `sequenceGuard`.
 *
 * @example
 * ```ts
 * sequenceGuard({ repeats: 3 });
 * ```
 */
export function sequenceGuard(options: SequenceGuardOptions = {}): Contract {
	const o = guardOptions(options, 'sequenceGuard', ['minCycle', 'maxCycle', 'repeats']);
	const minCycle = checkLimit(o['minCycle'], 'sequenceGuard options.minCycle', 2);
	const maxCycle = checkLimit(o['maxCycle'], 'sequenceGuard options.maxCycle', 4);
	const repeats = checkLimit(o['repeats'], 'sequenceGuard options.repeats', 3);
	if (minCycle < 2 || maxCycle < minCycle || maxCycle > 16 || repeats < 2)
		throw new ConfigError('sequenceGuard needs 2 <= minCycle <= maxCycle <= 16 and repeats >= 2.');
	const keep = maxCycle * repeats;

	return defineGuard(
		'sequenceGuard',
		{
			pre(ctx) {
				const { toolName, sessionId } = ctx.call;
				const answer = ctx.storage.update<State, GuardAnswer & { cycle?: string[] }>(
					sessionId,
					KEY,
					(state = EMPTY) => {
						const reason = state.quarantined[toolName];
						if (reason !== undefined) return { value: state, result: deny(reason) };
						// One copy of the exact size (a push would grow it again): the window after this call.
						const history = slide(state.history, toolName, keep);
						const cycle = findCycle(history, minCycle, maxCycle, repeats);
						if (cycle === undefined) return { value: { history, quarantined: state.quarantined }, result: PASS };
						const path = [...cycle, cycle[0]].join(' → ');
						const message = `Cycle detected: ${path} repeated ${repeats} times. ${[...new Set(cycle)].map((t) => `"${t}"`).join(', ')} are quarantined for this session. Stop delegating in circles: decide with what you have, or ask the user.`;
						const quarantined = { ...state.quarantined };
						for (const tool of cycle) quarantined[tool] = message;
						return { value: { history: state.history, quarantined }, result: { ...deny(message, { cycle }), cycle } };
					},
				);
				return andThenWith(answer, ctx, quarantineCycle);
			},
			report: quarantineReport,
		},
		o,
	);
}
