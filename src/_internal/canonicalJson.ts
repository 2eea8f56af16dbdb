import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: the same event always serialises to the same bytes, whatever order its
 * keys were built in, so a hash over it is stable.
 */
export function canonicalJson(value: unknown): string {
	return write(value, '', 0);
}

/**
 * The first `maxLength` characters (about) of {@link canonicalJson}, computed without serialising the rest: what a
 * guard compares when it only needs to tell outcomes apart, at a cost bounded whatever the size of the value.
 */
export function canonicalPrefix(value: unknown, maxLength: number): string {
	const budget: { left: number; partial?: string } = { left: maxLength };
	try {
		return write(value, '', 0, budget);
	} catch (error) {
		if (error === BUDGET_SPENT) return `${budget.partial}\u0000…`;
		throw error;
	}
}

// Thrown to unwind the writer once the budget is spent; preallocated, as it is control flow, not a failure.
const BUDGET_SPENT = new Error('canonicalPrefix budget spent');

/** Deeper than this is not data an agent sends or a log holds; refusing it also stops a cycle. */
const MAX_CANONICAL_DEPTH = 100;

function write(value: unknown, out: string, depth: number, budget?: { left: number; partial?: string }): string {
	if (budget !== undefined && out.length > budget.left) {
		budget.partial = out.slice(0, budget.left);
		throw BUDGET_SPENT;
	}
	if (value === null || typeof value !== 'object')
		return out + (typeof value === 'bigint' ? `"${value}"` : (JSON.stringify(value) ?? 'null'));
	if (depth > MAX_CANONICAL_DEPTH) throw new RangeError('canonicalJson: nesting too deep (or a cycle)');
	if (Array.isArray(value)) {
		out += '[';
		for (let i = 0; i < value.length; i++) {
			if (i > 0) out += ',';
			const item: unknown = value[i];
			out = item === undefined || typeof item === 'function' ? `${out}null` : write(item, out, depth + 1, budget);
		}
		return `${out}]`;
	}
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record).sort();
	out += '{';
	let first = true;
	for (const key of keys) {
		const item = record[key];
		if (item === undefined || typeof item === 'function') continue;
		out += `${first ? '' : ','}${JSON.stringify(key)}:`;
		first = false;
		out = write(item, out, depth + 1, budget);
	}
	return `${out}}`;
}

/** Hex SHA-256 of a string (fingerprints of calls and results). */
export function sha256(text: string): string {
	return hash('sha256', text, 'hex');
}
