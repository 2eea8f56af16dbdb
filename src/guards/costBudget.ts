import type { Contract } from '../contracts/Contract.js';
import { ConfigError } from '../errors/ConfigError.js';
import {
	addSpend,
	fromMicros,
	money,
	SPEND_KEY,
	toMicros,
	usageMicros,
	type SpendState,
	type TokenPrices,
} from '../report/sessionSpend.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { deny, PASS, type GuardAnswer, type GuardOptions } from './Guard.js';

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
		if (typeof o['costs'] !== 'object' || o['costs'] === null || Array.isArray(o['costs']))
			throw new ConfigError('costBudget options.costs must be an object of tool name to USD.');
		for (const [tool, cost] of Object.entries(o['costs'])) costs.set(tool, toMicros(money(cost, `costs.${tool}`)));
	}
	const prices = tokenPrices(o['tokenPrices']);
	const maxMicros = toMicros(maxUsd);
	const defaultMicros = toMicros(defaultCost);
	const costOf = (tool: string) => costs.get(tool) ?? defaultMicros;

	const contract = defineGuard(
		'costBudget',
		{
			// A tool that costs nothing is never asked about (its calls cannot change the spend).
			watches: (toolName) => costOf(toolName) !== 0,
			pre(ctx) {
				const cost = costOf(ctx.call.toolName);
				if (cost === 0) return PASS;
				return ctx.storage.update<SpendState, GuardAnswer>(ctx.call.sessionId, SPEND_KEY, (state) => {
					const spent = state?.spentMicros ?? 0;
					if (spent + cost > maxMicros) {
						const message = `Budget exceeded: "${ctx.call.toolName}" costs $${fromMicros(cost)}, and $${fromMicros(spent)} of the $${maxUsd} budget is spent. Stop and report what you have, or ask the user to raise the budget.`;
						return {
							value: state,
							result: deny(message, { spentUsd: fromMicros(spent), costUsd: fromMicros(cost), budgetUsd: maxUsd }),
						};
					}
					return { value: { spentMicros: spent + cost }, result: PASS };
				});
			},
			release(ctx) {
				const cost = costOf(ctx.call.toolName);
				return cost === 0 ? undefined : addSpend(ctx.storage, ctx.call.sessionId, -cost);
			},
			usage: (ctx, usage) => addSpend(ctx.storage, ctx.sessionId, usageMicros(usage, prices)),
			report: () => ({ budgetUsd: maxUsd }),
		},
		o,
	);
	return contract;
}

function tokenPrices(value: unknown): TokenPrices | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'object' || value === null)
		throw new ConfigError('costBudget options.tokenPrices must be { inputUsdPerMillion, outputUsdPerMillion }.');
	const { inputUsdPerMillion, outputUsdPerMillion, ...rest } = value as Record<string, unknown>;
	if (Object.keys(rest).length > 0)
		throw new ConfigError(`Unknown option "${Object.keys(rest)[0] as string}" in costBudget options.tokenPrices.`);
	return {
		inputUsdPerMillion: money(inputUsdPerMillion, 'tokenPrices.inputUsdPerMillion'),
		outputUsdPerMillion: money(outputUsdPerMillion, 'tokenPrices.outputUsdPerMillion'),
	};
}
