import { performance } from 'node:perf_hooks';
import type { CliIo } from '../Command.js';
import { bytes, count } from '../format.js';

const EVERY_MS = 200;

/**
 * A one-line progress indicator on stderr, redrawn at most every 200 ms, shown only when stderr is a terminal.
 * It reads `performance.now()`, not `Date.now()`: replay pins `Date.now()` to the recorded time.
 */
export class Progress {
	readonly #io: CliIo;
	readonly #label: string;
	readonly #total: number;
	#done = 0;
	#events = 0;
	#last = 0;
	#shown = false;

	constructor(io: CliIo, label: string, totalBytes: number) {
		this.#io = io;
		this.#label = label;
		this.#total = totalBytes;
	}

	/** Adds bytes read and events seen; redraws when due. */
	advance(bytesRead: number, events: number): void {
		this.#done += bytesRead;
		this.#events += events;
		if (!this.#io.progress) return;
		const now = performance.now();
		if (now - this.#last < EVERY_MS) return;
		this.#last = now;
		this.#shown = true;
		const pct = this.#total === 0 ? 100 : Math.floor((this.#done / this.#total) * 100);
		this.#io.stderr.write(
			`\r${this.#label}: ${bytes(this.#done)} of ${bytes(this.#total)} (${pct}%), ${count(this.#events)} events\u001b[K`,
		);
	}

	/** Clears the line, so the result starts on a clean terminal. */
	finish(): void {
		if (this.#shown) this.#io.stderr.write('\r\u001b[K');
		this.#shown = false;
	}
}
