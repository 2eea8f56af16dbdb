import { hash } from 'node:crypto';
import { canonicalJson, sha256 } from '../_internal/canonicalJson.js';
import { fingerprintWith } from '../storage/fingerprintKey.js';
import type { StorageBackend } from '../storage/StorageBackend.js';

/**
 * A short digest of a string, for comparing results (not security, and not for storing: it may be the text itself;
 * guards store a keyed fingerprint of it). Node's one-shot `crypto.hash` is several times faster here than any hash
 * written in JavaScript.
 */
export function digest(text: string): string {
	// A short text is its own key: a hash would cost more than it saves.
	return text.length <= SHORT ? text : hash('sha1', text, 'base64url');
}

const SHORT = 96;

/** Canonical JSON of a value, or undefined when it cannot be serialised (then it matches nothing). */
export function canonical(value: unknown): string | undefined {
	try {
		return canonicalJson(value);
	} catch {
		return undefined;
	}
}

let lastArgs: object | undefined;
let lastCanonical: string | undefined;

/**
 * The canonical JSON of a call's (frozen) args, computed once per call however many guards ask: envelope args never
 * change, so the object identity is the cache key. Unserialisable args get a unique string (they match nothing).
 */
export function canonicalArgs(args: Readonly<Record<string, unknown>>): string {
	if (args !== lastArgs) {
		lastCanonical = canonical(args) ?? `\u0000unique${Math.random()}`;
		lastArgs = args;
	}
	return lastCanonical as string;
}

/** The last call fingerprinted: the store, tool and (frozen) args it was for, and its fingerprint. */
let lastStore: StorageBackend | undefined;
let lastTool: string | undefined;
let lastCallArgs: object | undefined;
let lastFingerprint = '';

/**
 * Identifies a call in a guard's keys: the store's keyed fingerprint (see `StorageBackend.fingerprint`) of the tool
 * and its canonical args (stable key order), leaving out `ignore`d (volatile) arg keys. Never the argument text: a
 * password in the args must not sit in the store's key names.
 *
 * Every guard that keys state by call (the repeat history, the side-effect ledger) asks for the same fingerprint of
 * the same call: it is computed once per call (one canonical serialisation, one keyed hash) and shared. The call's
 * store and frozen args are the cache key; concurrent calls interleaving only cost a recomputation.
 */
export function callFingerprint(
	storage: StorageBackend,
	toolName: string,
	args: Readonly<Record<string, unknown>>,
	ignore: readonly string[] = NONE,
): string {
	if (ignore.length === 0 || !ignore.some((key) => Object.hasOwn(args, key))) {
		if (args !== lastCallArgs || toolName !== lastTool || storage !== lastStore) {
			lastFingerprint = fingerprintWith(storage, `${toolName}\u0000${canonicalArgs(args)}`);
			lastCallArgs = args;
			lastTool = toolName;
			lastStore = storage;
		}
		return lastFingerprint;
	}
	const subject = Object.fromEntries(Object.entries(args).filter(([key]) => !ignore.includes(key)));
	return fingerprintWith(storage, `${toolName}\u0000${canonical(subject) ?? `\u0000unique${Math.random()}`}`);
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The deterministic idempotency key of a side-effecting call: the same tool with the same args in the same ledger
 * scope always gets the same key, so a tool can forward it to the downstream API (Stripe's `Idempotency-Key`,
 * a database unique constraint) and a repeat is rejected there too.
 *
 * @example
 * ```ts
 * await warden.run('refund', args, (a) => stripe.refunds.create(a, { idempotencyKey: idempotencyKey('refund', a, ticketId) }));
 * ```
 */
export function idempotencyKey(toolName: string, args: object, scope = ''): string {
	return sha256(`${scope}\u0000${toolName}\u0000${canonicalJson(args)}`).slice(0, 32);
}
