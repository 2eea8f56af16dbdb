import { ConfigError } from '../errors/ConfigError.js';

/** Rejects keys a typed options object does not have (a typo such as `mdoe` must never be ignored). */
export function checkKeys(value: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new ConfigError(`${where} must be an object.`, { path: where });
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) {
			const hint = closest(key, allowed);
			throw new ConfigError(
				`Unknown option "${key}" in ${where}.${hint === undefined ? ` Known options: ${allowed.join(', ')}.` : ` Did you mean "${hint}"?`}`,
				{ path: `${where}.${key}` },
			);
		}
	}
	return value as Record<string, unknown>;
}

export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new ConfigError(
		`${where} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${JSON.stringify(value) ?? String(value)}.`,
		{ path: where },
	);
}

/**
 * A limit: a non-negative integer, or Infinity for unlimited. Only `undefined` takes the `fallback`: `null` is an
 * invalid limit, never a silent default.
 */
export function checkLimit(value: unknown, where: string, fallback?: number): number {
	if (value === undefined && fallback !== undefined) return fallback;
	if (typeof value === 'number' && (value === Infinity || (Number.isInteger(value) && value >= 0))) return value;
	throw new ConfigError(
		`${where} must be a non-negative integer or Infinity (0 allows nothing); got ${String(value)}.`,
		{ path: where },
	);
}

export function checkFunction(value: unknown, where: string): void {
	if (typeof value !== 'function') throw new ConfigError(`${where} must be a function.`, { path: where });
}

function closest(key: string, options: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = 3;
	for (const option of options) {
		const d = distance(key.toLowerCase(), option.toLowerCase());
		if (d < bestDistance) [best, bestDistance] = [option, d];
	}
	return best;
}

function distance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let previous = row[0] as number;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const current = row[j] as number;
			row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
			previous = current;
		}
	}
	return row[b.length] as number;
}
