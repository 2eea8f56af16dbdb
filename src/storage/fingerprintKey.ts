import { createHmac } from 'node:crypto';
import { ConfigError } from '../errors/ConfigError.js';
import type { StorageBackend } from './StorageBackend.js';

/** A keyed fingerprint function: what a store puts in keys instead of argument text. */
export type Fingerprint = (text: string) => string;

/**
 * HMAC-SHA256 of `text` under `key`, as 128 bits of base64url: short enough for a key, long enough that two distinct
 * calls never share one. Without the key, a fingerprint cannot be checked against guessed arguments.
 */
export function keyedFingerprint(key: string | Buffer): Fingerprint {
	// An HMAC costs several times a plain hash; calls and query words repeat, and several guards fingerprint the same
	// call: short texts are remembered (in this process only, never in the store).
	const memo = new Map<string, string>();
	return (text) => {
		let fingerprint = memo.get(text);
		if (fingerprint !== undefined) return fingerprint;
		fingerprint = createHmac('sha256', key).update(text).digest('base64url').slice(0, 22);
		if (text.length <= MEMO_MAX_LENGTH) {
			if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
			memo.set(text, fingerprint);
		}
		return fingerprint;
	};
}

const MEMO_MAX_LENGTH = 1024;
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

/** The store's keyed fingerprint, or the documented default (HMAC under a fixed, public key) when it has none. */
export function fingerprintWith(store: StorageBackend, text: string): string {
	return store.fingerprint === undefined ? publicFingerprint(text) : store.fingerprint(text);
}
