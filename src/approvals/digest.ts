import { createHash } from 'node:crypto';
import type { ToolEnvelope } from '../envelope/types.js';

/** Deeper than this is not data an agent sends; refusing it also stops a cycle. */
const MAX_DEPTH = 100;

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest form (what `JSON.stringify` writes), strings escaped as
 * `JSON.stringify` escapes them. Values JSON cannot hold are written as JSON would (`undefined` members dropped, in
 * arrays `null`); a BigInt is written as its decimal string, since envelopes keep it.
 */
export function canonicalize(value: unknown, depth = 0): string {
	if (value === null || typeof value !== 'object') {
		if (typeof value === 'bigint') return `"${value}"`;
		if (typeof value === 'number' && !Number.isFinite(value))
			throw new RangeError('canonicalize: JSON has no NaN or Infinity');
		return JSON.stringify(value) ?? 'null';
	}
	if (depth > MAX_DEPTH) throw new RangeError('canonicalize: nesting too deep (or a cycle)');
	if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
		return canonicalize((value as { toJSON(): unknown }).toJSON(), depth + 1);
	if (Array.isArray(value)) {
		const items: string[] = [];
		for (const item of value as unknown[])
			items.push(item === undefined || typeof item === 'function' ? 'null' : canonicalize(item, depth + 1));
		return `[${items.join(',')}]`;
	}
	const record = value as Record<string, unknown>;
	// Array.prototype.sort without a comparator compares UTF-16 code units: the order RFC 8785 prescribes.
	const members: string[] = [];
	for (const key of Object.keys(record).sort()) {
		const item = record[key];
		if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
		members.push(`${JSON.stringify(key)}:${canonicalize(item, depth + 1)}`);
	}
	return `{${members.join(',')}}`;
}

/**
 * The digest an approval is bound to: SHA-256 hex of the RFC 8785 canonical JSON of
 * `{ toolName, args, sessionId, principal }` (principal null when the call names none). A grant only lets a call with
 * the same digest run, so changing any argument, the session or the principal needs a new approval.
 */
export function approvalDigest(call: Pick<ToolEnvelope, 'toolName' | 'args' | 'sessionId' | 'principal'>): string {
	const text = canonicalize({
		toolName: call.toolName,
		args: call.args,
		sessionId: call.sessionId,
		principal: call.principal ?? null,
	});
	return createHash('sha256').update(text, 'utf8').digest('hex');
}
