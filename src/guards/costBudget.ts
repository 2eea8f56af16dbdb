import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { deny, PASS, type GuardAnswer, type GuardOptions } from './Guard.js';

/** Token prices for `warden.recordUsage({ inputTokens, outputTokens })`. */
export interface TokenPrices {
	readonly inputUsdPerMillion: number;
	readonly outputUsdPerMillion: number;
}

/** Options of {@link costBudget}. */
export interface CostBudgetOptions extends GuardOptions {
	/** The session's budget in USD. Reaching it exactly is allowed; going over is not. */
	readonly maxUsd: number;
	/**
	 * Cost of one call, by tool, in USD.
	 * @default {}
	 */
	readonly costs?: Readonly<Record<string, number>>;
	/**
	 * Cost of a call to a tool not in `costs`.
	 * @default 0
	 */
	readonly defaultCost?: number;
	/** Prices applied to token counts passed to `warden.recordUsage`. */
	readonly tokenPrices?: TokenPrices;
}

/** Usage to add to a session's spend. */
export interface Usage {
	readonly costUsd?: number;
	readonly inputTokens?: number;
	readonly outputTokens?: number;
}

interface State {
	/** Spent so far, in integer micro-dollars: sums are exact (19 × $0.04 is $0.76, not 0.7600000000000001). */
	readonly spentMicros: number;
}

export const COST_KEY = 'costBudget';
const MICROS = 1_000_000;

/** USD to integer micro-dollars (the unit every sum is kept in). */
export const toMicros = (usd: number): number => Math.round(usd * MICROS);
export const fromMicros = (micros: number): number => micros / MICROS;

/** What the Warden needs of a cost budget: its limit, and how to price usage. */
export interface BudgetHandle {
	readonly maxUsd: number;
	addUsage(storage: StorageBackend, sessionId: string, usage: Usage): Awaitable<number>;
}

const handles = new WeakMap<Contract, BudgetHandle>();

/** @internal the budget behind a contract made by {@link costBudget}, if it is one. */
export function budgetOf(contract: Contract): BudgetHandle | undefined {
	return handles.get(contract);
}

/** Adds usage to a session's spend (in micro-dollars) and returns the new total in micro-dollars. */
export function addSpend(storage: StorageBackend, sessionId: string, micros: number): Awaitable<number> {
	return storage.update<State, number>(sessionId, COST_KEY, (state) => {
		const spentMicros = (state?.spentMicros ?? 0) + micros;
		return { value: { spentMicros }, result: spentMicros };
	});
}

/**
 * Stops budget overruns: the call whose cost would take the session's spend past `maxUsd` is denied before it runs
 * (reaching the budget exactly is allowed). Call costs come from `costs` / `defaultCost` and are reserved atomically
 * (concurrent calls cannot overshoot; a call denied later in the pipeline gets its reservation back); real spend
 * (model tokens, API bills) is added with `warden.recordUsage(...)`. Money is summed in integer micro-dollars.
 * The rule name is `costBudget`.
 *
 * @example
 * ```ts
 * const warden = new Warden({ contracts: [costBudget({ maxUsd: 2, costs: { web_search: 0.01, image_gen: 0.04 }, tokenPrices: { inputUsdPerMillion: 3, outputUsdPerMillion: 15 } })] });
 * await warden.recordUsage({ inputTokens: 1200, outputTokens: 300 });
 * ```
 */
export function costBudget(options: CostBudgetOptions): Contract {
	const o = guardOptions(options, 'costBudget', ['maxUsd', 'costs', 'defaultCost', 'tokenPrices']);
	const maxUsd = money(o['maxUsd'], 'maxUsd');
	const defaultCost = o['defaultCost'] === undefined ? 0 : money(o['defaultCost'], 'defaultCost');
	const costs = new Map<string, number>();
	if (o['costs'] !== undefined) {
		if (typeof o['costs'] !== 'object' || o['costs'] === null || Array.isArray(o['costs'])) throw new ConfigError('costBudget options.costs must be an object of tool name to USD.');
		for (const [tool, cost] of Object.entries(o['costs'])) costs.set(tool, toMicros(money(cost, `costs.${tool}`)));
	}
	const prices = tokenPrices(o['tokenPrices']);
	const maxMicros = toMicros(maxUsd);
	const costOf = (tool: string) => costs.get(tool) ?? toMicros(defaultCost);

	const contract = defineGuard(
		'costBudget',
		{
			pre(ctx) {
				const cost = costOf(ctx.call.toolName);
				if (cost === 0) return PASS;
				return ctx.storage.update<State, GuardAnswer>(ctx.call.sessionId, COST_KEY, (state) => {
					const spent = state?.spentMicros ?? 0;
					if (spent + cost > maxMicros) {
						const message = `Budget exceeded: "${ctx.call.toolName}" costs $${fromMicros(cost)}, and $${fromMicros(spent)} of the $${maxUsd} budget is spent. Stop and report what you have, or ask the user to raise the budget.`;
						return { value: state, result: deny(message, { spentUsd: fromMicros(spent), costUsd: fromMicros(cost), budgetUsd: maxUsd }) };
					}
					return { value: { spentMicros: spent + cost }, result: PASS };
				});
			},
			release(ctx) {
				const cost = costOf(ctx.call.toolName);
				return cost === 0 ? undefined : addSpend(ctx.storage, ctx.call.sessionId, -cost);
			},
		},
		o,
	);
	handles.set(contract, {
		maxUsd,
		addUsage: (storage, sessionId, usage) => addSpend(storage, sessionId, usageMicros(usage, prices)),
	});
	return contract;
}

/** Prices usage in micro-dollars. */
export function usageMicros(usage: Usage, prices: TokenPrices | undefined): number {
	let micros = usage.costUsd === undefined ? 0 : toMicros(money(usage.costUsd, 'costUsd'));
	const tokens = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
	if (tokens > 0) {
		if (prices === undefined) throw new ConfigError('recordUsage got token counts, but no costBudget has tokenPrices to price them.');
		for (const [count, name] of [[usage.inputTokens, 'inputTokens'], [usage.outputTokens, 'outputTokens']] as const) {
			if (count !== undefined && !(Number.isInteger(count) && count >= 0)) throw new ConfigError(`recordUsage ${name} must be a non-negative integer.`);
		}
		// Price per token in micro-dollars is price-per-million USD: the product is exact for integer prices.
		micros += Math.round((usage.inputTokens ?? 0) * prices.inputUsdPerMillion + (usage.outputTokens ?? 0) * prices.outputUsdPerMillion);
	}
	return micros;
}

function money(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ConfigError(`costBudget ${name} must be a non-negative number of USD; got ${String(value)}.`);
	return value;
}

function tokenPrices(value: unknown): TokenPrices | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'object' || value === null) throw new ConfigError('costBudget options.tokenPrices must be { inputUsdPerMillion, outputUsdPerMillion }.');
	const { inputUsdPerMillion, outputUsdPerMillion, ...rest } = value as Record<string, unknown>;
	if (Object.keys(rest).length > 0) throw new ConfigError(`Unknown option "${Object.keys(rest)[0] as string}" in costBudget options.tokenPrices.`);
	return { inputUsdPerMillion: money(inputUsdPerMillion, 'tokenPrices.inputUsdPerMillion'), outputUsdPerMillion: money(outputUsdPerMillion, 'tokenPrices.outputUsdPerMillion') };
}
