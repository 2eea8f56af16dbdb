import { hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The `prevHash` of the first line of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain fields a hash-chained line carries besides the event. */
export interface ChainLink {
	readonly seq: number;
	readonly prevHash: string;
	readonly hash: string;
}

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
	if (value === null || typeof value !== 'object') return out + (typeof value === 'bigint' ? `"${value}"` : (JSON.stringify(value) ?? 'null'));
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

/** The canonical JSON a line's hash covers: the (redacted) event with its `seq` and `prevHash`. */
export function chainedJson(event: object, seq: number, prevHash: string): string {
	return canonicalJson({ ...event, seq, prevHash });
}

/** The hash of one line: SHA-256 over {@link chainedJson}. */
export function linkHash(event: object, seq: number, prevHash: string): string {
	return sha256(chainedJson(event, seq, prevHash));
}

export function sha256(text: string): string {
	return hash('sha256', text, 'hex');
}

/** What {@link verifyAuditLog} found. */
export interface AuditLogVerification {
	/** True when every line is intact and in order. */
	readonly ok: boolean;
	/** Lines verified (up to the first bad one). */
	readonly count: number;
	/** `seq` of the first line read, and the hash it chains from: compare with an anchor you stored to detect a cut head. */
	readonly firstSeq?: number;
	readonly firstPrevHash?: string;
	/** The last good line's `seq` and `hash`: store them elsewhere to detect a truncated tail later. */
	readonly lastSeq?: number;
	readonly lastHash?: string;
	/** The `seq` (or, for unparsable lines, the expected `seq`) of the first line that fails. */
	readonly firstBadSeq?: number;
	readonly reason?: string;
}

/** Options of {@link verifyAuditLog}. */
export interface VerifyOptions {
	/**
	 * Where the chain must start: a `{ seq, hash }` you stored earlier (e.g. `sink.lastLink` at the end of a previous
	 * run). Without it, the first line must start a chain (`seq` 1, genesis `prevHash`) or is accepted as the start.
	 */
	readonly after?: { readonly seq: number; readonly hash: string };
	/**
	 * Require the chain to end at this `{ seq, hash }` (an external anchor): detects a truncated tail.
	 */
	readonly endsAt?: { readonly seq: number; readonly hash: string };
}

/**
 * Verifies a hash-chained JSONL audit log (a file, or rotated files oldest first: `['audit.jsonl.2', 'audit.jsonl.1',
 * 'audit.jsonl']`). Detects edited, deleted, inserted and reordered lines, and breaks between files.
 *
 * What it cannot detect on its own: lines cut from the end (the tail) or whole files removed from the start, because
 * what remains is still a valid chain. Anchor the log: store `sink.lastLink` (or `lastSeq`/`lastHash` of a
 * verification) somewhere the log's writer cannot change, and pass it as `endsAt` / `after`.
 *
 * @example
 * ```ts
 * const result = await verifyAuditLog(['audit.jsonl.1', 'audit.jsonl']);
 * if (!result.ok) alert(`audit log tampered at seq ${result.firstBadSeq}: ${result.reason}`);
 * ```
 */
export async function verifyAuditLog(paths: string | readonly string[], options: VerifyOptions = {}): Promise<AuditLogVerification> {
	const files = typeof paths === 'string' ? [paths] : paths;
	let count = 0;
	let expectedSeq = options.after === undefined ? undefined : options.after.seq + 1;
	let prevHash = options.after?.hash;
	let firstSeq: number | undefined;
	let firstPrevHash: string | undefined;
	const bad = (firstBadSeq: number, reason: string): AuditLogVerification => ({
		ok: false,
		count,
		firstBadSeq,
		reason,
		...(firstSeq === undefined ? {} : { firstSeq, firstPrevHash: firstPrevHash as string }),
		...(prevHash === undefined || expectedSeq === undefined ? {} : { lastSeq: expectedSeq - 1, lastHash: prevHash }),
	});
	for (const file of files) {
		let text: string;
		try {
			text = await readFile(file, 'utf8');
		} catch (error) {
			return bad(expectedSeq ?? 1, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
		}
		const lines = text.split('\n');
		if (lines.at(-1) === '') lines.pop();
		for (const [index, line] of lines.entries()) {
			let parsed: Record<string, unknown>;
			try {
				parsed = JSON.parse(line) as Record<string, unknown>;
			} catch {
				return bad(expectedSeq ?? 1, `${file}:${index + 1} is not valid JSON`);
			}
			const { seq, prevHash: linePrev, hash, ...event } = parsed;
			if (typeof seq !== 'number' || typeof linePrev !== 'string' || typeof hash !== 'string') return bad(expectedSeq ?? 1, `${file}:${index + 1} has no hash chain fields`);
			if (firstSeq === undefined) {
				firstSeq = seq;
				firstPrevHash = linePrev;
				if (expectedSeq === undefined && seq === 1 && linePrev !== GENESIS_HASH) return bad(seq, 'the first line does not start from the genesis hash');
			}
			if (expectedSeq !== undefined && seq !== expectedSeq) return bad(seq, `expected seq ${expectedSeq}, found ${seq} (a line was deleted, inserted or moved)`);
			if (prevHash !== undefined && linePrev !== prevHash) return bad(seq, 'prevHash does not match the previous line (a line was deleted, inserted or moved)');
			if (linkHash(event, seq, linePrev) !== hash) return bad(seq, 'the line was modified (its hash does not match its content)');
			prevHash = hash;
			expectedSeq = seq + 1;
			count++;
		}
	}
	const lastSeq = expectedSeq === undefined ? undefined : expectedSeq - 1;
	if (options.endsAt !== undefined && (lastSeq !== options.endsAt.seq || prevHash !== options.endsAt.hash)) {
		return bad(options.endsAt.seq, `the log ends at seq ${lastSeq ?? 0}, not at the anchored seq ${options.endsAt.seq} (lines were cut from the end)`);
	}
	return {
		ok: true,
		count,
		...(firstSeq === undefined ? {} : { firstSeq, firstPrevHash: firstPrevHash as string }),
		...(lastSeq === undefined || prevHash === undefined ? {} : { lastSeq, lastHash: prevHash }),
	};
}
