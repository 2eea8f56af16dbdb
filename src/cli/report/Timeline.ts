/** Counts of one time bucket. */
export interface TimeBucket {
	/** Start of the bucket, ISO 8601. */
	readonly start: string;
	calls: number;
	denied: number;
	wouldDeny: number;
	replayed: number;
}

const MINUTE = 60_000;
/** Most buckets kept while streaming; past it, buckets double in width and merge (memory stays bounded). */
const MAX_BUCKETS = 2048;
/** Most buckets shown: a chart people can read. */
const SHOWN = 48;

type Counts = Omit<TimeBucket, 'start'>;

/** Bucket widths people read at a glance, in minutes: 5 min, 15 min, 1 h, 6 h, 1 day, 1 week... */
const NICE_MINUTES = [1, 2, 4, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 10_080, 20_160, 40_320];

/** The merge factor to at most {@link SHOWN} buckets, preferring a width from {@link NICE_MINUTES}. */
function niceFactor(widthMs: number, span: number): number {
	// One bucket less than shown: aligning the merged buckets to their width can add one at the start.
	const least = Math.ceil(span / (SHOWN - 1));
	for (const minutes of NICE_MINUTES) {
		const factor = (minutes * MINUTE) / widthMs;
		if (Number.isInteger(factor) && factor >= least) return factor;
	}
	return least;
}

/**
 * Calls over time in buckets that adapt to the log's span without knowing it up front: one-minute buckets, doubled
 * whenever more than 2,048 would be needed, then merged to at most 48 for display.
 */
export class Timeline {
	#width = MINUTE;
	#buckets = new Map<number, Counts>();

	add(epochMs: number, kind: 'allowed' | 'denied' | 'wouldDeny' | 'replayed'): void {
		const key = Math.floor(epochMs / this.#width);
		let bucket = this.#buckets.get(key);
		if (bucket === undefined) {
			bucket = { calls: 0, denied: 0, wouldDeny: 0, replayed: 0 };
			this.#buckets.set(key, bucket);
		}
		bucket.calls++;
		if (kind !== 'allowed') bucket[kind]++;
		// Counted first: widening copies the buckets, so a count added after it would land in a discarded object.
		if (this.#buckets.size > MAX_BUCKETS) this.#widen(2);
	}

	/** The buckets to show, oldest first, contiguous (empty buckets included), and their width in ms. */
	buckets(): { readonly bucketMs: number; readonly buckets: TimeBucket[] } {
		if (this.#buckets.size === 0) return { bucketMs: this.#width, buckets: [] };
		const keys = [...this.#buckets.keys()];
		const span = Math.max(...keys) - Math.min(...keys) + 1;
		if (span > SHOWN) this.#widen(niceFactor(this.#width, span));
		const sorted = [...this.#buckets.keys()].sort((a, b) => a - b);
		const first = sorted[0] as number;
		const last = sorted.at(-1) as number;
		const out: TimeBucket[] = [];
		for (let key = first; key <= last; key++) {
			const counts = this.#buckets.get(key) ?? { calls: 0, denied: 0, wouldDeny: 0, replayed: 0 };
			out.push({ start: new Date(key * this.#width).toISOString(), ...counts });
		}
		return { bucketMs: this.#width, buckets: out };
	}

	#widen(factor: number): void {
		this.#width *= factor;
		const merged = new Map<number, Counts>();
		for (const [key, counts] of this.#buckets) {
			const into = Math.floor(key / factor);
			const bucket = merged.get(into);
			if (bucket === undefined) merged.set(into, { ...counts });
			else for (const field of ['calls', 'denied', 'wouldDeny', 'replayed'] as const) bucket[field] += counts[field];
		}
		this.#buckets = merged;
	}
}
