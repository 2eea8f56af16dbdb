let lastMs = -1;
let lastIso = '';

/**
 * `new Date().toISOString()`, computed at most once per millisecond: at agent speed many calls share a millisecond,
 * and formatting a date costs more than the rest of building an event.
 */
export function isoNow(): string {
	const now = Date.now();
	if (now !== lastMs) {
		lastMs = now;
		lastIso = new Date(now).toISOString();
	}
	return lastIso;
}
