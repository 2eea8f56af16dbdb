import { open } from 'node:fs/promises';
import { verifyAuditLog, type VerifyOptions } from '../../audit/verifyAuditLog.js';

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
 * Whether `verifyAuditLog` streams its files: it reads them line by line, so memory stays flat whatever their size
 * and `verify` takes files of any size (measured in docs/cli.md).
 */
export const STREAMING_VERIFIER = true;

/**
 * The one place the CLI calls the library's chain check: maps `verify`'s options to `verifyAuditLog`'s and its
 * result to `verify --json`'s per-set shape, so the §6.1 signature is wired here and nowhere else.
 */
export async function checkChain(files: readonly string[], options: ChainCheckOptions): Promise<ChainCheck> {
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
