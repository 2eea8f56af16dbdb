/**
 * Pins `Date.now()` to the recorded time of the event being replayed, so time-based guard state (a circuit breaker's
 * cooldown) evolves as it did when the calls were made, not at replay speed. The CLI process is the only user of
 * the clock while replay runs; `restore()` puts the real clock back.
 */
export class RecordedClock {
	readonly #real = Date.now;
	#now = Number.NEGATIVE_INFINITY;

	install(): void {
		const real = this.#real;
		// Before the first timestamp (or in a log without valid ones) the real clock stands in.
		Date.now = () => (this.#now === Number.NEGATIVE_INFINITY ? real() : this.#now);
	}

	/** Moves to an event's timestamp; never backwards (interleaved writers may log slightly out of order). */
	advance(timestamp: string): void {
		const ms = Date.parse(timestamp);
		if (!Number.isNaN(ms) && ms > this.#now) this.#now = ms;
	}

	restore(): void {
		Date.now = this.#real;
	}
}
