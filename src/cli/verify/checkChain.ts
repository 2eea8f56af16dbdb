import { verifyAuditLog, type VerifyOptions } from '../../audit/hashChain.js';

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

/**
 * Whether the installed `verifyAuditLog` checks keyed (HMAC) chains. The §6.1 rewrite adds `{ key }`; the version on
 * this branch does not, so a key cannot be honoured and `verify --key-file` refuses rather than pass a keyed log
 * unchecked. Set to true when wiring the §6.1 `verifyAuditLog` (see docs/cli.md, "Wiring").
 */
export const KEYED_CHAINS_SUPPORTED = false;

/**
 * The one place the CLI calls the library's chain check: maps `verify`'s options to `verifyAuditLog`'s and its
 * result to `verify --json`'s per-set shape, so the §6.1 signature is wired here and nowhere else.
 */
export async function checkChain(files: readonly string[], options: ChainCheckOptions): Promise<ChainCheck> {
	const verifyOptions: VerifyOptions & { key?: Buffer } = {
		...(options.endsAt === undefined ? {} : { endsAt: options.endsAt }),
		...(options.key === undefined ? {} : { key: options.key }),
	};
	const result = (await verifyAuditLog(files, verifyOptions)) as Awaited<ReturnType<typeof verifyAuditLog>> & {
		kind?: string;
	};
	return {
		ok: result.ok,
		count: result.count,
		...(result.firstBadSeq === undefined ? {} : { firstBadSeq: result.firstBadSeq }),
		...(result.reason === undefined ? {} : { reason: result.reason }),
		...(result.kind === undefined ? {} : { kind: result.kind }),
	};
}
