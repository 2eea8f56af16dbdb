import { canonicalJson, sha256 } from '../audit/hashChain.js';

/**
 * A 53-bit hash of a string (cyrb53): cheap and well spread. For loop detection, not security: a collision only makes
 * two different calls look alike to a guard.
 */
export function hash53(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Canonical JSON of a value, or undefined when it cannot be serialised (then it matches nothing). */
export function canonical(value: unknown): string | undefined {
	try {
		return canonicalJson(value);
	} catch {
		return undefined;
	}
}

/** Identifies a call by tool and canonical args (stable key order), leaving out `ignore`d (volatile) arg keys. */
export function callFingerprint(toolName: string, args: Readonly<Record<string, unknown>>, ignore: readonly string[] = []): string {
	let subject: unknown = args;
	if (ignore.length > 0) subject = Object.fromEntries(Object.entries(args).filter(([key]) => !ignore.includes(key)));
	return hash53(`${toolName}\u0000${canonical(subject) ?? `\u0000unique${Math.random()}`}`);
}

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
