import { createHmac, hash } from 'node:crypto';

/** The `prevHash` of the first line of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** A position in a hash chain: the `seq` and `hash` of one line (what an external anchor stores). */
export interface ChainLink {
	readonly seq: number;
	readonly hash: string;
}

/** The secret of a keyed chain. */
export type ChainKey = string | Buffer;

/** `,"hash":"` + 64 hex digits + `"}`: the fixed-size end of every chained line. */
export const HASH_SUFFIX_LENGTH = 75;
const SUFFIX_START = ',"hash":"';
const HEAD = /^\{"seq":([1-9]\d{0,15}),"prevHash":"([0-9a-f]{64})"(?:,"kid":"([0-9a-f]{16})")?/;
const HEX64 = /^[0-9a-f]{64}$/;
/** SHA-256's block size, in bytes. */
const BLOCK = 64;

/**
 * Hashes chain lines: SHA-256 without a key, HMAC-SHA-256 with one. A keyed line carries `kid`, a short
 * fingerprint of the key (an HMAC of a constant, which reveals nothing about the key), so a verifier can tell
 * "wrong or missing key" from "modified line".
 */
export class ChainHasher {
	readonly kid: string | undefined;
	/** HMAC's padded key blocks; `#inner` is scratch space: the inner block, then the message. */
	#inner: Buffer | undefined;
	readonly #outer: Buffer | undefined;

	constructor(key?: ChainKey) {
		this.kid = key === undefined ? undefined : keyId(key);
		if (key === undefined) return;
		// HMAC-SHA-256 (RFC 2104) from two plain hashes: createHmac() per line repeats the key setup and costs about
		// twice as much, which matters at tens of thousands of lines a second.
		let block = Buffer.from(key);
		if (block.length > BLOCK) block = hash('sha256', block, 'buffer');
		this.#inner = Buffer.alloc(BLOCK + 4096);
		this.#outer = Buffer.alloc(BLOCK + 32);
		for (let i = 0; i < BLOCK; i++) {
			this.#inner[i] = (block[i] ?? 0) ^ 0x36;
			this.#outer[i] = (block[i] ?? 0) ^ 0x5c;
		}
	}

	sign(prefix: string): string {
		let inner = this.#inner;
		const outer = this.#outer;
		if (inner === undefined || outer === undefined) return hash('sha256', prefix, 'hex');
		if (inner.length < BLOCK + prefix.length * 3) {
			const grown = Buffer.alloc(BLOCK + prefix.length * 3);
			inner.copy(grown, 0, 0, BLOCK);
			this.#inner = inner = grown;
		}
		const length = inner.write(prefix, BLOCK, 'utf8');
		hash('sha256', inner.subarray(0, BLOCK + length), 'buffer').copy(outer, BLOCK);
		return hash('sha256', outer, 'hex');
	}

	/**
	 * One chained line: `{"seq":…,"prevHash":…[,"kid":…],<body>,"hash":…}` plus a newline. The hash covers the
	 * exact bytes before `,"hash":`, so any byte changed (whitespace, a duplicated key) breaks it.
	 * `body` is the inside of a JSON object (its fields without the braces).
	 */
	line(prev: ChainLink, body: string): { readonly line: string; readonly link: ChainLink } {
		const seq = prev.seq + 1;
		const kid = this.kid === undefined ? '' : `,"kid":"${this.kid}"`;
		const prefix = `{"seq":${seq},"prevHash":"${prev.hash}"${kid}${body === '' ? '' : ','}${body}`;
		const digest = this.sign(prefix);
		return { line: `${prefix}${SUFFIX_START}${digest}"}\n`, link: { seq, hash: digest } };
	}
}

/** The fingerprint a keyed line carries in `kid`. */
export function keyId(key: ChainKey): string {
	return createHmac('sha256', key).update('toolwarden audit key id v1').digest('hex').slice(0, 16);
}

/** The chain fields of one line, read from its exact bytes (no JSON round trip). */
export interface ParsedChainLine {
	readonly seq: number;
	readonly prevHash: string;
	readonly kid: string | undefined;
	readonly hash: string;
	/** The bytes the hash covers. */
	readonly prefix: string;
	/** True for a line the sink wrote about itself (`record`: repair, gap, rotate) rather than an audit event. */
	readonly record: boolean;
}

/** Parses a chained line (without its newline), or returns undefined when it does not have the chain's shape. */
export function parseChainLine(line: string): ParsedChainLine | undefined {
	if (line.length <= HASH_SUFFIX_LENGTH || !line.endsWith('"}')) return undefined;
	const prefix = line.slice(0, -HASH_SUFFIX_LENGTH);
	const suffix = line.slice(-HASH_SUFFIX_LENGTH);
	if (!suffix.startsWith(SUFFIX_START)) return undefined;
	const digest = suffix.slice(SUFFIX_START.length, -2);
	const head = HEAD.exec(prefix);
	if (head === null || !HEX64.test(digest)) return undefined;
	const after = head[0].length;
	if (after !== prefix.length && prefix[after] !== ',') return undefined;
	return {
		seq: Number(head[1]),
		prevHash: head[2] as string,
		kid: head[3],
		hash: digest,
		prefix,
		record: prefix.startsWith(',"record":"', after),
	};
}

/** The body of a record line: `"record":"<kind>"` and the given fields, JSON-encoded. */
export function recordBody(kind: string, fields: Record<string, unknown>): string {
	return JSON.stringify({ record: kind, ...fields, at: new Date().toISOString() }).slice(1, -1);
}
