/**
 * A bounded key group as a ring of slots: a new key takes the next slot, evicting the key that held it. A key
 * deleted or re-inserted meanwhile leaves a stale slot, recognised by its slot number, which evicts nothing.
 */
export class KeyGroup {
	readonly #ring: Array<string | undefined>;
	readonly #slots = new Map<string, number>();
	#next = 0;

	constructor(max: number) {
		this.#ring = new Array<string | undefined>(max);
	}

	/** Adds `key`; returns the key it evicts, if any. */
	insert(key: string): string | undefined {
		const slot = this.#next;
		this.#next = (slot + 1) % this.#ring.length;
		const previous = this.#ring[slot];
		this.#ring[slot] = key;
		this.#slots.set(key, slot);
		if (previous === undefined || previous === key || this.#slots.get(previous) !== slot) return undefined;
		this.#slots.delete(previous);
		return previous;
	}

	remove(key: string): void {
		this.#slots.delete(key);
	}
}
