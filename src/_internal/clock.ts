import { performance } from 'node:perf_hooks';

/**
 * Wall-clock time derived from the monotonic clock. A governed call reads `performance.now()` anyway (for its
 * durations); deriving its timestamps from those readings spares a `Date.now()` per event. The offset between the
 * two clocks is calibrated once to the exact millisecond, then checked against `Date.now()` at most once a second
 * and moved only when the two disagree (a system clock step, or drift past a millisecond): timestamps follow the
 * wall clock within about a millisecond, and a clock step shows within a second.
 */
const CHECK_EVERY_MS = 1000;

let offset = calibrate();
let checkedAt = performance.now();
let lastMs = -1;
let lastIso = '';

/** The offset at the moment `Date.now()` ticks: exact to the tick, at most a millisecond of waiting, once. */
function calibrate(): number {
	const start = Date.now();
	let wall = start;
	let mono = performance.now();
	for (let spins = 0; wall === start && spins < 1_000_000; spins++) {
		wall = Date.now();
		mono = performance.now();
	}
	return wall - mono;
}

/** Wall-clock epoch milliseconds of a `performance.now()` reading. */
export function wallAt(monotonicMs: number): number {
	if (monotonicMs - checkedAt >= CHECK_EVERY_MS) {
		checkedAt = monotonicMs;
		const wall = Date.now();
		const derived = offset + performance.now();
		// `wall` is the floor of the true time: the derived time belongs in [wall, wall + 1).
		if (derived < wall) offset += wall - derived;
		else if (derived >= wall + 1) offset -= derived - (wall + 1) + 0.001;
	}
	return offset + monotonicMs;
}

/** The ISO 8601 form of a `performance.now()` reading, formatted at most once per millisecond. */
export function isoAt(monotonicMs: number): string {
	const ms = Math.floor(wallAt(monotonicMs));
	if (ms !== lastMs) {
		lastMs = ms;
		lastIso = new Date(ms).toISOString();
	}
	return lastIso;
}

/** Now, in ISO 8601 (`new Date().toISOString()`). */
export function isoNow(): string {
	return isoAt(performance.now());
}
