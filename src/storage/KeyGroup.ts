/**
 * A bounded key group that holds its keys' values, as a ring of slots: a new key takes the next slot, evicting the
 * key that held it (the oldest by first write); a key rewritten keeps its slot. A key deleted frees its slot, which
 * evicts nothing when the ring comes round to it.
 *
 * Guards write a key per call into these groups (the repeat history, the side-effect ledger): the values sit in the
 * ring beside their keys, so reading or rewriting a key is one map lookup and inserting one is a lookup, a set and
 * (once full) a delete, with nothing allocated per key.
 */
export class KeyGroup {
	// The ring grows to `max` as keys come (most sessions use a few of their slots), then wraps round.
	readonly #keys: Array<string | undefined> = [];
	readonly #values: unknown[] = [];
	readonly #slots = new Map<string, number>();
	readonly #max: number;
	/** The slot the next new key takes once the ring is full: the oldest key's. */
	#next = 0;

	constructor(max: number) {
		this.#max = max;
	}

	/** The slot holding `key`, or undefined when the group does not hold it. */
	slotOf(key: string): number | undefined {
		return this.#slots.get(key);
	}

	valueAt(slot: number): unknown {
		return this.#values[slot];
	}

	setAt(slot: number, value: unknown): void {
		this.#values[slot] = value;
	}

	/** Adds a key the group does not hold, evicting the key in the next slot. */
	insert(key: string, value: unknown): void {
		let slot = this.#keys.length;
		if (slot < this.#max) {
			this.#keys.push(key);
			this.#values.push(value);
		} else {
			slot = this.#next;
			this.#next = (slot + 1) % this.#max;
			const previous = this.#keys[slot];
			if (previous !== undefined) this.#slots.delete(previous);
			this.#keys[slot] = key;
			this.#values[slot] = value;
		}
		this.#slots.set(key, slot);
	}

	removeAt(slot: number): void {
		const key = this.#keys[slot];
		if (key !== undefined) this.#slots.delete(key);
		this.#keys[slot] = undefined;
		this.#values[slot] = undefined;
	}
}
