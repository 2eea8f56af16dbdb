import type { SessionCounters, SessionTotals } from '../storage/StorageBackend.js';
import { setOwn } from '../_internal/setOwn.js';

/**
 * Reads a session's state hash (HGETALL as a flat array): counters, `t:<tool>` executions per tool, `i:<rule>`
 * interventions; bookkeeping fields (`epoch`, `prior`, `values`) are skipped.
 */
export function decodeState(flat: readonly string[]): SessionTotals {
	const fields: Record<string, string> = {};
	const tools: Record<string, number> = {};
	const interventions: Record<string, number> = {};
	for (let i = 0; i + 1 < flat.length; i += 2) {
		const name = flat[i] as string;
		const value = flat[i + 1] as string;
		if (name.startsWith('t:')) setOwn(tools, name.slice(2), Number(value));
		else if (name.startsWith('i:')) setOwn(interventions, name.slice(2), Number(value));
		else fields[name] = value;
	}
	const num = (name: string) => Number(fields[name] ?? 0);
	return {
		attempts: num('attempts'),
		executions: num('executions'),
		consecutiveFailures: num('consecutiveFailures'),
		consecutiveDenials: num('consecutiveDenials'),
		halted: fields['halted'] ?? null,
		haltedBy: fields['haltedBy'] ?? null,
		toolExecutions: tools,
		failed: num('failed'),
		denied: num('denied'),
		replayed: num('replayed'),
		sideEffectsExecuted: num('sideEffectsExecuted'),
		interventions,
	};
}

/** The counters part of a state hash. */
export function decodeCounters(flat: readonly string[]): SessionCounters {
	const { attempts, executions, consecutiveFailures, consecutiveDenials, halted, haltedBy, toolExecutions } =
		decodeState(flat);
	return {
		attempts,
		executions,
		consecutiveFailures,
		consecutiveDenials,
		halted,
		haltedBy: haltedBy ?? null,
		toolExecutions,
	};
}

/** JSON for guard values: results replayed from a shared store are JSON copies (bigint as a string). */
export function toJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function limitArg(limit: number): number {
	return limit === Infinity ? -1 : limit;
}
