/** A reason and how many calls gave it. */
export interface ReasonCount {
	readonly reason: string;
	readonly count: number;
	/** The rule that gave it (the first seen, when several give the same text). */
	readonly rule: string;
}

/** Distinct reasons remembered; reasons often embed call details, so their number is not bounded by the policy. */
const CAPACITY = 10_000;

/**
 * Counts denial and would-deny reasons in bounded memory. Exact while there are at most 10,000 distinct reasons;
 * past that, reasons seen once are forgotten to make room, so the top of the list (what people act on) stays right
 * and only the long tail is approximate (`approximate` says so).
 */
export class TopReasons {
	readonly #counts = new Map<string, { count: number; rule: string }>();
	#approximate = false;

	add(reason: string, rule: string): void {
		const entry = this.#counts.get(reason);
		if (entry !== undefined) {
			entry.count++;
			return;
		}
		if (this.#counts.size >= CAPACITY) this.#evict();
		this.#counts.set(reason, { count: 1, rule });
	}

	get approximate(): boolean {
		return this.#approximate;
	}

	top(limit: number): ReasonCount[] {
		return [...this.#counts]
			.sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
			.slice(0, limit)
			.map(([reason, { count, rule }]) => ({ reason, count, rule }));
	}

	#evict(): void {
		this.#approximate = true;
		for (const [reason, { count }] of this.#counts) if (count === 1) this.#counts.delete(reason);
		// Every reason was seen twice or more: drop the least frequent half instead.
		if (this.#counts.size >= CAPACITY) {
			const keep = [...this.#counts].sort(([, x], [, y]) => y.count - x.count).slice(0, CAPACITY / 2);
			this.#counts.clear();
			for (const [reason, entry] of keep) this.#counts.set(reason, entry);
		}
	}
}
