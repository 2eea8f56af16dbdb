import { open, stat } from 'node:fs/promises';
import { verifyAuditLog, type VerifyOptions } from '../../audit/verifyAuditLog.js';
import { CliError } from '../CliError.js';
import { bytes } from '../format.js';

/** What `verify` asks of one log set. */
export interface ChainCheckOptions {
	/** The HMAC key of a keyed chain (API §6.1 `hashChain: { key }`), the key file's bytes. */
	readonly key?: Buffer;
	/** The anchor of the last line, `{ seq, hash }` as the sink exposes it. */
	readonly endsAt?: { readonly seq: number; readonly hash: string };
}

/** The result of one set, in `verify --json`'s shape (API §11). */
export interface ChainCheck {
	readonly ok: boolean;
	readonly count: number;
	readonly firstBadSeq?: number;
	readonly reason?: string;
	readonly kind?: string;
}

/** Whether `verifyAuditLog` checks keyed (HMAC) chains: it does since API §6.1 (`{ key }`). */
export const KEYED_CHAINS_SUPPORTED = true;

/**
 * Whether the installed `verifyAuditLog` streams its files. The version on this branch reads each file whole into one
 * string, which V8 caps near 512 MiB; set to true when wiring a streaming verifier.
 */
export const STREAMING_VERIFIER = false;

/**
 * The largest file handed to a verifier that reads files whole: measured, a 16 MB file peaks at 141 MB RSS, 36 MB at
 * 237 MB and 64 MB at 911 MB (the whole text, its lines and their parses are alive at once).
 */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/**
 * Refuses, with a clear line (exit 2), a file the installed verifier would read whole and fail on or bloat with,
 * instead of reporting a sound log as broken.
 */
export function assertVerifiable(files: ReadonlyArray<{ readonly path: string; readonly size: number }>): void {
	if (STREAMING_VERIFIER) return;
	const large = files.find((file) => file.size > WHOLE_FILE_LIMIT);
	if (large === undefined) return;
	throw new CliError(
		`${large.path} is ${bytes(large.size)}; this build's verifyAuditLog reads each file whole and is limited to ` +
			`${bytes(WHOLE_FILE_LIMIT)} per file. Rotate the log (JsonlFileSink maxBytes) or use a streaming verifier.`,
	);
}

/**
 * The one place the CLI calls the library's chain check: maps `verify`'s options to `verifyAuditLog`'s and its
 * result to `verify --json`'s per-set shape, so the §6.1 signature is wired here and nowhere else.
 */
export async function checkChain(files: readonly string[], options: ChainCheckOptions): Promise<ChainCheck> {
	assertVerifiable(await Promise.all(files.map(async (path) => ({ path, size: (await stat(path)).size }))));
	const verifyOptions: VerifyOptions = {
		...(options.endsAt === undefined ? {} : { endsAt: options.endsAt }),
		...(options.key === undefined ? {} : { key: options.key }),
	};
	const result = await verifyAuditLog(files, verifyOptions);
	const reason = result.count === 0 && result.reason !== undefined ? await unchained(result.reason) : result.reason;
	return {
		ok: result.ok,
		count: result.count,
		...(result.firstBadSeq === undefined ? {} : { firstBadSeq: result.firstBadSeq }),
		...(reason === undefined ? {} : { reason }),
		...(result.kind === undefined ? {} : { kind: result.kind }),
	};
}

const NOT_CHAINED = /^(.*):1: not a chained line/;
const HEAD_BYTES = 64 * 1024;

/**
 * The verifier calls a log written without `hashChain` "not a chained line" at its first line, which reads like
 * tampering. When that first line is an audit event with no chain fields at all, say what it is instead.
 */
async function unchained(reason: string): Promise<string> {
	const file = NOT_CHAINED.exec(reason)?.[1];
	if (file === undefined) return reason;
	let head: string;
	try {
		const handle = await open(file);
		try {
			const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
			head = buffer.toString('utf8', 0, bytesRead).split('\n', 1)[0] ?? '';
		} finally {
			await handle.close();
		}
	} catch {
		return reason;
	}
	let first: unknown;
	try {
		first = JSON.parse(head);
	} catch {
		return reason;
	}
	if (typeof first !== 'object' || first === null || ['seq', 'prevHash', 'hash'].some((key) => key in first))
		return reason;
	return (
		`${file}:1: no hash chain fields (seq, prevHash, hash): the log was written without JsonlFileSink's ` +
		'hashChain option, so there is no chain to verify'
	);
}
