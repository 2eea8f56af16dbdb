import { setOwn } from '../_internal/setOwn.js';

/**
 * A session's executions per tool name, as `MemoryStorage` keeps them: counts in an array, each name's slot fixed for
 * the session's life. A write makes a new version (the array is copied), so a version handed out in a snapshot never
 * changes. Copying an array of numbers is a memory copy however many tools a session uses; copying an object keyed by
 * tool name cost microseconds per call past a dozen tools (V8 keeps such an object as a dictionary).
 */
export class ToolCounts {
	/** Name → slot, shared by every version of the session: slots are only ever added. */
	readonly #slots: Map<string, number>;
	/** This version's counts, by slot; a slot past its end (a tool first run in a later version) counts 0. */
	readonly #counts: readonly number[];
	#record: Readonly<Record<string, number>> | undefined;

	constructor(slots = new Map<string, number>(), counts: readonly number[] = []) {
		this.#slots = slots;
		this.#counts = counts;
	}

	/** This version's count of `toolName`. */
	get(toolName: string): number {
		const slot = this.#slots.get(toolName);
		return slot === undefined || slot >= this.#counts.length ? 0 : (this.#counts[slot] as number);
	}

	/** The next version, with `toolName`'s count set. Only the latest version is ever written. */
	with(toolName: string, count: number): ToolCounts {
		let slot = this.#slots.get(toolName);
		if (slot === undefined) {
			slot = this.#slots.size;
			this.#slots.set(toolName, slot);
		}
		const counts = this.#counts.slice();
		counts[slot] = count;
		return new ToolCounts(this.#slots, counts);
	}

	/** This version as a record (made on first read, then kept; frozen, as versions never change). */
	get record(): Readonly<Record<string, number>> {
		if (this.#record === undefined) {
			const record: Record<string, number> = {};
			for (const [name, slot] of this.#slots) {
				if (slot < this.#counts.length) setOwn(record, name, this.#counts[slot] as number);
			}
			this.#record = Object.freeze(record);
		}
		return this.#record;
	}
}
