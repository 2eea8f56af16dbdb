import { ConfigError } from '../errors/ConfigError.js';
import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';

/** Token prices for `warden.recordUsage({ inputTokens, outputTokens })`. */
export interface TokenPrices {
	readonly inputUsdPerMillion: number;
	readonly outputUsdPerMillion: number;
}

/** Usage to add to a session's spend. */
export interface Usage {
	readonly costUsd?: number;
	readonly inputTokens?: number;
	readonly outputTokens?: number;
}

/** A session's spend as the store keeps it (the key is `costBudget`'s, whose calls spend it too). */
export interface SpendState {
	/** Spent so far, in integer micro-dollars: sums are exact (19 × $0.04 is $0.76, not 0.7600000000000001). */
	readonly spentMicros: number;
}

export const SPEND_KEY = 'costBudget';
const MICROS = 1_000_000;

/** USD to integer micro-dollars (the unit every sum is kept in). */
export const toMicros = (usd: number): number => Math.round(usd * MICROS);
export const fromMicros = (micros: number): number => micros / MICROS;

/** Adds usage to a session's spend (in micro-dollars) and returns the new total in micro-dollars. */
export function addSpend(storage: StorageBackend, sessionId: string, micros: number): Awaitable<number> {
	return storage.update<SpendState, number>(sessionId, SPEND_KEY, (state) => {
		const spentMicros = (state?.spentMicros ?? 0) + micros;
		return { value: { spentMicros }, result: spentMicros };
	});
}

/** The session's spend in USD. */
export async function readSpend(storage: StorageBackend, sessionId: string): Promise<number> {
	const state = await storage.read<SpendState>(sessionId, SPEND_KEY);
	return fromMicros(state?.spentMicros ?? 0);
}

/** Prices usage in micro-dollars. */
export function usageMicros(usage: Usage, prices: TokenPrices | undefined): number {
	let micros = usage.costUsd === undefined ? 0 : toMicros(money(usage.costUsd, 'costUsd'));
	const tokens = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
	if (tokens > 0) {
		if (prices === undefined)
			throw new ConfigError('recordUsage got token counts, but no costBudget has tokenPrices to price them.');
		for (const [count, name] of [
			[usage.inputTokens, 'inputTokens'],
			[usage.outputTokens, 'outputTokens'],
		] as const) {
			if (count !== undefined && !(Number.isInteger(count) && count >= 0))
				throw new ConfigError(`recordUsage ${name} must be a non-negative integer.`);
		}
		// Price per token in micro-dollars is price-per-million USD: the product is exact for integer prices.
		micros += Math.round(
			(usage.inputTokens ?? 0) * prices.inputUsdPerMillion + (usage.outputTokens ?? 0) * prices.outputUsdPerMillion,
		);
	}
	return micros;
}

/** A non-negative, finite amount of USD. */
export function money(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
		throw new ConfigError(`costBudget ${name} must be a non-negative number of USD; got ${String(value)}.`);
	return value;
}
