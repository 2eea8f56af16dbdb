import { ConfigError } from '../errors/ConfigError.js';
import { resolveAuditFiles, type AuditFileSet } from './auditFileSets.js';
import { ChainHasher, GENESIS_HASH, keyId, parseChainLine, type ChainKey, type ChainLink } from './chainLine.js';
import { assertReadable, ChainLineReader } from './chainLineReader.js';
import { checkKey, countRecord, misplaced } from './classifyBreak.js';

/**
 * What a failed verification found:
 * - `modified`: a line's bytes do not match its hash (an edit, whitespace, a duplicated key), or it is not a chained
 *   line;
 * - `deleted`: lines (or a whole file) are missing from the middle;
 * - `inserted`: a line that does not belong to the chain sits between two that do;
 * - `reordered`: lines are out of order;
 * - `truncated`: lines cut from the end or the start (seen against an anchor), or a torn last line;
 * - `key`: the chain is keyed and no key, or another key, was given (or a key was given for a keyless line).
 */
export type TamperKind = 'modified' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'key';

/** What {@link verifyAuditLog} found (for one file set, or all of them). */
export interface AuditLogVerification {
	/** True when every line is intact, in order, and the anchors match. */
	readonly ok: boolean;
	/** Lines verified (up to the first bad one), the sink's own record lines included. */
	readonly count: number;
	/** The `seq` of the first bad line (for a missing line, the seq found where it should be). */
	readonly firstBadSeq?: number;
	/** What is wrong, and where (`file:line`). */
	readonly reason?: string;
	readonly kind?: TamperKind;
	/** The first and last good lines: store them to anchor a later verification (`startsAt`, `endsAt`). */
	readonly firstSeq?: number;
	readonly firstHash?: string;
	readonly lastSeq?: number;
	readonly lastHash?: string;
	/** Events the writer recorded as lost in its `gap` lines (a full disk, a deleted file). */
	readonly lost: number;
	/** Torn lines the writer removed after crashes (its `repair` lines). */
	readonly repairs: number;
	/** The chain verified, when there was one: its live file and its files, oldest first. */
	readonly base?: string;
	readonly files?: readonly string[];
	/** Per file set, when several were verified (files per worker). */
	readonly sets?: ReadonlyArray<AuditLogVerification & AuditFileSet>;
}

/** Options of {@link verifyAuditLog}. */
export interface VerifyOptions {
	/**
	 * The key of a keyed chain (`hashChain: { key }`). Without it a keyed log fails with kind `key`.
	 * @default none
	 */
	readonly key?: ChainKey;
	/**
	 * A line the log must still contain, stored earlier (e.g. `sink.firstLink`): lines cut from the start are then
	 * detected (`truncated`), and a rewritten chain too (`modified`). One file set only.
	 * @default none
	 */
	readonly startsAt?: ChainLink;
	/**
	 * A line the log must reach, stored earlier outside the log (e.g. `sink.lastLink` after `close()`): lines cut from
	 * the end are then detected (`truncated`). Lines written after the anchor are fine. One file set only.
	 * @default none
	 */
	readonly endsAt?: ChainLink;
}

/**
 * Verifies hash-chained JSONL audit logs over the exact bytes of each line: a file (with its rotated siblings), a
 * directory (every `*.jsonl` chain in it, e.g. a file per worker), or an array of paths (grouped into chains by
 * {@link groupAuditFiles}, each ordered oldest first).
 *
 * @example
 * ```ts
 * const result = await verifyAuditLog('logs/audit.jsonl', { key: process.env.AUDIT_KEY, endsAt: storedAnchor });
 * if (!result.ok) alert(`audit log ${result.kind} at seq ${result.firstBadSeq}: ${result.reason}`);
 * ```
 */
export async function verifyAuditLog(
	paths: string | readonly string[],
	options: VerifyOptions = {},
): Promise<AuditLogVerification> {
	const sets = await resolveAuditFiles(paths);
	if (sets.length === 0) {
		const where = typeof paths === 'string' ? paths : 'the given paths';
		return {
			ok: false,
			count: 0,
			kind: 'deleted',
			reason: `no audit log files found in ${where}`,
			lost: 0,
			repairs: 0,
		};
	}
	if (sets.length > 1 && (options.startsAt !== undefined || options.endsAt !== undefined)) {
		throw new ConfigError(
			'verifyAuditLog: startsAt/endsAt anchor one chain, but the paths hold several; verify each file set on its own.',
		);
	}
	const results: Array<AuditLogVerification & AuditFileSet> = [];
	for (const set of sets) results.push({ base: set.base, files: set.files, ...(await verifySet(set, options)) });
	if (results.length === 1) return results[0] as AuditLogVerification;
	const bad = results.find((r) => !r.ok);
	const total = (pick: (r: AuditLogVerification) => number): number => results.reduce((sum, r) => sum + pick(r), 0);
	return {
		ok: bad === undefined,
		count: total((r) => r.count),
		...(bad === undefined
			? {}
			: { firstBadSeq: bad.firstBadSeq, reason: `${bad.base}: ${bad.reason}`, kind: bad.kind }),
		lost: total((r) => r.lost),
		repairs: total((r) => r.repairs),
		sets: results,
	};
}

async function verifySet(set: AuditFileSet, options: VerifyOptions): Promise<AuditLogVerification> {
	for (const file of set.files) {
		try {
			await assertReadable(file);
		} catch (error) {
			return unreadable(file, error);
		}
	}
	const reader = new ChainLineReader(set.files);
	try {
		return await verifyLines(reader, options);
	} catch (error) {
		// A file that could be opened but not read through (an I/O error, replaced mid-read).
		const file = set.files.find((f) => (error as Error).message.includes(f)) ?? set.base;
		return unreadable(file, error);
	} finally {
		await reader.close();
	}
}

function unreadable(file: string, error: unknown): AuditLogVerification {
	const message = error instanceof Error ? error.message : String(error);
	return { ok: false, count: 0, kind: 'deleted', reason: `cannot read ${file}: ${message}`, lost: 0, repairs: 0 };
}

/** Checks a chain's lines one at a time, in order: only the previous line's link is kept. */
async function verifyLines(reader: ChainLineReader, options: VerifyOptions): Promise<AuditLogVerification> {
	const keyed =
		options.key === undefined ? undefined : { hasher: new ChainHasher(options.key), kid: keyId(options.key) };
	const keyless = new ChainHasher();
	let prev: ChainLink | undefined;
	let first: ChainLink | undefined;
	let count = 0;
	let lost = 0;
	let repairs = 0;
	const fail = (kind: TamperKind, firstBadSeq: number, reason: string): AuditLogVerification => ({
		ok: false,
		count,
		firstBadSeq,
		reason,
		kind,
		...(first === undefined ? {} : { firstSeq: first.seq, firstHash: first.hash }),
		...(prev === undefined ? {} : { lastSeq: prev.seq, lastHash: prev.hash }),
		lost,
		repairs,
	});
	for (let line = await reader.take(); line !== undefined; line = await reader.take()) {
		const expected = (prev?.seq ?? 0) + 1;
		if (line.torn)
			return fail(
				'truncated',
				expected,
				`${line.where}: the last line is incomplete (a write cut short by a crash); ` +
					'opening a JsonlFileSink on the file repairs it',
			);
		const parsed = parseChainLine(line.text);
		if (parsed === undefined)
			return fail(
				'modified',
				expected,
				`${line.where}: not a chained line (its seq, prevHash or hash is missing or malformed)`,
			);
		const { startsAt, endsAt } = options;
		if (prev === undefined) {
			if (startsAt !== undefined && parsed.seq > startsAt.seq) {
				return fail(
					'truncated',
					startsAt.seq,
					`${line.where}: the log starts at seq ${parsed.seq}, after the anchored seq ${startsAt.seq}: ` +
						'lines were cut from the start',
				);
			}
			if (parsed.seq === 1 && parsed.prevHash !== GENESIS_HASH)
				return fail('modified', 1, `${line.where}: seq 1 does not chain from the genesis hash`);
		} else if (parsed.seq !== prev.seq + 1 || parsed.prevHash !== prev.hash) {
			return fail(...(await misplaced(line, reader, parsed, prev)));
		}
		const keyProblem = checkKey(parsed, keyed);
		if (keyProblem !== undefined) return fail('key', parsed.seq, `${line.where}: ${keyProblem}`);
		if ((keyed?.hasher ?? keyless).sign(parsed.prefix) !== parsed.hash)
			return fail('modified', parsed.seq, `${line.where}: the line was modified (its hash does not match its bytes)`);
		for (const anchor of [startsAt, endsAt]) {
			if (anchor !== undefined && anchor.seq === parsed.seq && anchor.hash !== parsed.hash) {
				return fail(
					'modified',
					parsed.seq,
					`${line.where}: seq ${parsed.seq} is not the anchored line (its hash differs): ` +
						'the chain was rewritten from here or before',
				);
			}
		}
		if (parsed.record) ({ lost, repairs } = countRecord(line.text, lost, repairs));
		prev = { seq: parsed.seq, hash: parsed.hash };
		first ??= prev;
		count++;
	}
	const lastSeq = prev?.seq ?? 0;
	if (options.endsAt !== undefined && lastSeq < options.endsAt.seq) {
		return fail(
			'truncated',
			lastSeq + 1,
			`the log ends at seq ${lastSeq}, before the anchored seq ${options.endsAt.seq}: ` +
				`${options.endsAt.seq - lastSeq} line(s) were cut from the end`,
		);
	}
	if (options.startsAt !== undefined && lastSeq < options.startsAt.seq) {
		return fail(
			'truncated',
			lastSeq + 1,
			`the log ends at seq ${lastSeq}, before the anchored first seq ${options.startsAt.seq}`,
		);
	}
	return {
		ok: true,
		count,
		...(first === undefined || prev === undefined
			? {}
			: { firstSeq: first.seq, firstHash: first.hash, lastSeq: prev.seq, lastHash: prev.hash }),
		lost,
		repairs,
	};
}
