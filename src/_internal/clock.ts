// The two times formatted last: a call's own events share a millisecond, and concurrent calls alternate between two.
let lastMs = -1;
let lastIso = '';
let otherMs = -1;
let otherIso = '';

/**
 * The ISO 8601 form of an epoch time in milliseconds, formatted at most once per millisecond: at agent speed many
 * calls share a millisecond, and formatting a date costs more than the rest of building an event.
 */
export function isoAt(epochMs: number): string {
	const ms = Math.floor(epochMs);
	if (ms === lastMs) return lastIso;
	if (ms !== otherMs) {
		otherMs = ms;
		otherIso = new Date(ms).toISOString();
	}
	// Swap, so the time asked for is the first looked at next time.
	const iso = otherIso;
	otherMs = lastMs;
	otherIso = lastIso;
	lastMs = ms;
	lastIso = iso;
	return iso;
}

/** `new Date().toISOString()`, at most once per millisecond (see {@link isoAt}). */
export function isoNow(): string {
	return isoAt(Date.now());
}
