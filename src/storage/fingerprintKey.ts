import { hash } from 'node:crypto';
import { ConfigError } from '../errors/ConfigError.js';
import type { StorageBackend } from './StorageBackend.js';

/** A keyed fingerprint function: what a store puts in keys instead of argument text. */
export type Fingerprint = (text: string) => string;

/**
 * SHA-256 of `key` and `text` (a keyed hash), as 128 bits of base64url: short enough for a key, long enough that two distinct
 * calls never share one. Without the key, a fingerprint cannot be checked against guessed arguments.
 */
export function keyedFingerprint(key: string | Buffer): Fingerprint {
	// One-shot SHA-256 over the secret, a separator and the text: a quarter of an HMAC's cost (no hasher objects),
	// and for a fingerprint the same guarantee (without the secret, nobody can compute or test one; length extension
	// only matters for authenticating messages, which this is not). Query words and short outcomes repeat: they are
	// remembered (in this process only, never in the store). A call is fingerprinted once per call (guards share it)
	// and its text rarely repeats: remembering it would cost more on every miss than a hash saves on a hit.
	const secret = `${Buffer.isBuffer(key) ? key.toString('base64') : key}\u0000`;
	const memo = new Map<string, string>();
	return (text) => {
		if (text.length > MEMO_MAX_LENGTH) return hash('sha256', secret + text, 'base64url').slice(0, 22);
		let fingerprint = memo.get(text);
		if (fingerprint !== undefined) return fingerprint;
		fingerprint = hash('sha256', secret + text, 'base64url').slice(0, 22);
		if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
		memo.set(text, fingerprint);
		return fingerprint;
	};
}

const MEMO_MAX_LENGTH = 32;
const MEMO_MAX_ENTRIES = 4096;

/** Validates a `fingerprintKey` option: a non-empty string or Buffer. */
export function checkFingerprintKey(value: unknown, where: string): string | Buffer | undefined {
	if (value === undefined) return undefined;
	if ((typeof value === 'string' || Buffer.isBuffer(value)) && value.length > 0) return value;
	throw new ConfigError(
		`${where} must be a non-empty string or Buffer (a secret shared by every process of the store).`,
		{ path: where },
	);
}

const publicFingerprint = keyedFingerprint('toolwarden-fingerprint');

/** The store's keyed fingerprint, or the documented default (a keyed hash under a fixed, public key) when it has none. */
export function fingerprintWith(store: StorageBackend, text: string): string {
	return store.fingerprint === undefined ? publicFingerprint(text) : store.fingerprint(text);
}
