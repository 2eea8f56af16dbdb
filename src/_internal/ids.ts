import { randomBytes } from 'node:crypto';

/**
 * Call ids in UUID v4 form, from a random per-process prefix and a counter: unique across processes (the prefix's
 * random bits) and within one (the counter), for the cost of a few string concatenations instead of a call into the
 * CSPRNG per tool call. Ids are identifiers, not secrets: nothing may depend on their being unguessable.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const random = randomBytes(16);
const hex = random.toString('hex');
// Version nibble 4 and variant bits 10xx, as RFC 9562 requires for a v4 UUID.
const variant = HEX[((random[8] ?? 0) & 0x3f) | 0x80] as string;
/** What every id of this process starts with: nothing else can produce it, so such ids need no redaction. */
export const CALL_ID_PREFIX = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-`;
const LOW = 0x1000000;
// The last 12 hex digits: 6 for a high counter (random start), 6 for a low one. All but the last two are kept as a
// string, remade once per 256 ids: an id costs one concatenation.
let high = random.readUIntBE(10, 3);
let low = 0;
let stem = CALL_ID_PREFIX + hex6(high);
let block = stem + hex4(low >>> 8);
/** The id issued last: the id a call asks about is usually its own, just made (an identity check, no scan). */
let last = '';

function hex4(n: number): string {
	return (HEX[(n >>> 8) & 0xff] as string) + (HEX[n & 0xff] as string);
}

function hex6(n: number): string {
	return (HEX[(n >>> 16) & 0xff] as string) + (HEX[(n >>> 8) & 0xff] as string) + (HEX[n & 0xff] as string);
}

/** A new call id. */
export function newCallId(): string {
	if (++low === LOW) {
		low = 0;
		high = (high + 1) % LOW;
		stem = CALL_ID_PREFIX + hex6(high);
	}
	if ((low & 0xff) === 0) block = stem + hex4(low >>> 8);
	last = block + (HEX[low & 0xff] as string);
	return last;
}

/** Whether this process generated `id` (it then holds no secret). */
export function isOwnCallId(id: string): boolean {
	// Ids are concatenations: comparing characters would first flatten the string, which the identity check avoids.
	return id === last || (id.length === 36 && id.startsWith(CALL_ID_PREFIX));
}
