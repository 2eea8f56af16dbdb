import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ChainHasher, GENESIS_HASH, recordBody, type ChainLink } from './chainLine.js';
import type { Chunk, Gap } from './lineChunk.js';
import { recoverLog } from './recoverLog.js';
import { rotateFiles } from './rotateFiles.js';

/** How the writer is set up (validated options of the sink). */
export interface WriterConfig {
	readonly path: string;
	readonly maxBytes: number;
	readonly maxFiles: number;
	readonly fsync: 'never' | 'close' | 'batch';
	/** Present when lines are hash-chained. */
	readonly hasher: ChainHasher | undefined;
	/** Runs before each open: creates the directory and takes the file's lock, if not done yet. */
	readonly prepare: () => void;
}

/** What one batch came to. Lost events are given as `[from, to)` ranges of the batch's indexes. */
export interface WriteOutcome {
	readonly written: number;
	readonly lost: ReadonlyArray<readonly [number, number]>;
	readonly error: Error | undefined;
}

/** Counters the writer keeps for the sink's stats. */
export interface WriterCounters {
	rotations: number;
	repairs: number;
	reopened: number;
}

/**
 * Appends batches of serialised events to one file: chains them, rotates by size, and tells exactly which lines
 * the OS accepted in full. A short write or a failing write cuts the torn line back out; a file deleted or replaced
 * while open is noticed after the write (its lines count as lost) and a new file is opened, the gap recorded as a
 * chained `gap` line. Only the sink calls it, one batch at a time.
 */
export class JsonlWriter {
	readonly counters: WriterCounters = { rotations: 0, repairs: 0, reopened: 0 };
	readonly #config: WriterConfig;
	#handle: FileHandle | undefined;
	#ino = 0;
	#dev = 0;
	#size = 0;
	/** Bytes of the rotation header: a file holding only it is "empty" for the size rule. */
	#floor = 0;
	#link: ChainLink | undefined;
	#first: ChainLink | undefined;
	#records: string[] = [];
	#gap: Gap | undefined;

	constructor(config: WriterConfig) {
		this.#config = config;
	}

	/** The newest chained line in the file, written in full (undefined without a chain, or before the file is read). */
	get lastLink(): ChainLink | undefined {
		return this.#config.hasher === undefined || this.#link?.seq === 0 ? undefined : this.#link;
	}

	/** The first chained line this writer wrote. */
	get firstLink(): ChainLink | undefined {
		return this.#config.hasher === undefined ? undefined : this.#first;
	}

	async write(events: readonly string[]): Promise<WriteOutcome> {
		const lost: Array<[number, number]> = [];
		let written = 0;
		let next = 0;
		let error: Error | undefined;
		let orphaned = false;
		try {
			while (next < events.length) {
				await this.#open();
				const chunk = this.#build(events, next);
				const count = chunk.lines.length - chunk.meta;
				const result = await this.#writeChunk(chunk);
				written += result.done;
				if (result.done < count) lost.push([next + result.done, next + count]);
				next += count;
				if (result.error !== undefined) {
					error = result.error;
					orphaned = result.retry === true;
					// The write itself failed (a full disk, EIO): the rest of this batch would meet the same fate.
					if (!result.retry) break;
				}
				if (next < events.length && this.#handle !== undefined && result.error === undefined) await this.#rotate();
			}
			if (orphaned && this.#handle === undefined) {
				// The file was deleted or replaced under the last lines: open the new one now, starting with the gap.
				await this.#open();
				await this.#writeChunk(this.#build(events, events.length));
			}
		} catch (failure) {
			// Opening or rotating failed: nothing more of this batch can be written.
			error = toError(failure);
			await this.#drop();
		}
		if (next < events.length) {
			lost.push([next, events.length]);
			this.#lose(events.length - next, error);
		}
		return { written, lost, error };
	}

	async close(): Promise<void> {
		const handle = this.#handle;
		this.#handle = undefined;
		if (handle === undefined) return;
		try {
			if (this.#config.fsync !== 'never') await handle.sync();
		} finally {
			await handle.close();
		}
	}

	/** Opens the file (repairing it after a crash) unless it is open. */
	async #open(): Promise<void> {
		if (this.#handle !== undefined) return;
		const { path } = this.#config;
		this.#config.prepare();
		const recovered = await recoverLog(path);
		// On the first open the file holds the chain head; later (after a failure) this writer's own head is the truth,
		// unless a rotation that failed half-way was completed just now: its new file starts the chain's next line.
		if (recovered.finishedRotation && recovered.head !== undefined) this.#link = recovered.head;
		this.#link ??= recovered.head ?? { seq: 0, hash: GENESIS_HASH };
		if (recovered.removedBytes > 0) {
			this.counters.repairs++;
			this.#records.push(
				recordBody('repair', {
					removedBytes: recovered.removedBytes,
					reason: 'a torn last line (a write cut short by a crash) was removed',
				}),
			);
		}
		const handle = await open(path, 'a');
		const info = await handle.stat();
		this.#handle = handle;
		this.#ino = info.ino;
		this.#dev = info.dev;
		this.#size = info.size;
		this.#floor = 0;
	}

	/** Serialises as many events from `from` as fit in the current file, after any pending record lines. */
	#build(events: readonly string[], from: number): Chunk {
		const chunk: Chunk = {
			start: this.#link as ChainLink,
			meta: 0,
			lines: [],
			ends: [],
			records: this.#records,
			gap: this.#gap,
			bytes: 0,
		};
		this.#records = [];
		this.#gap = undefined;
		for (const body of chunk.records) this.#add(chunk, `{${body}}`, true);
		if (chunk.gap !== undefined) {
			const gap = recordBody('gap', { lost: chunk.gap.lost, reason: [...chunk.gap.reasons].join('; ') });
			this.#add(chunk, `{${gap}}`, true);
		}
		chunk.meta = chunk.lines.length;
		for (let i = from; i < events.length; i++) {
			if (!this.#add(chunk, events[i] as string, false)) break;
		}
		return chunk;
	}

	/** Adds one line unless it would push the file past maxBytes (a line always fits into an otherwise empty file). */
	#add(chunk: Chunk, json: string, force: boolean): boolean {
		const hasher = this.#config.hasher;
		// Unchained lines are the JSON as is (no copy but the newline); chained ones splice the chain fields in.
		const built = hasher === undefined ? undefined : hasher.line(this.#link as ChainLink, json.slice(1, -1));
		const line = built === undefined ? `${json}\n` : built.line;
		const size = Buffer.byteLength(line);
		if (!force && this.#size + chunk.bytes + size > this.#config.maxBytes && this.#size + chunk.bytes > this.#floor)
			return false;
		chunk.lines.push(line);
		chunk.bytes += size;
		chunk.ends.push(chunk.bytes);
		if (built !== undefined) this.#link = built.link;
		return true;
	}

	/**
	 * Writes a chunk; `done` is how many of its events are in the file in full. `retry`: the failure was the file's
	 * (deleted or replaced), so the next lines can go to a new one.
	 */
	async #writeChunk(chunk: Chunk): Promise<{ done: number; error?: Error; retry?: boolean }> {
		const handle = this.#handle as FileHandle;
		if (chunk.lines.length === 0) return { done: 0 };
		const buffer = Buffer.from(chunk.lines.join(''));
		let offset = 0;
		try {
			while (offset < buffer.length) {
				const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
				if (bytesWritten <= 0) throw new Error(`short write: the OS accepted ${offset} of ${buffer.length} bytes`);
				offset += bytesWritten;
			}
			if (!(await this.#stillOurs(handle))) {
				this.counters.reopened++;
				const error = new Error(`${this.#config.path} was deleted or replaced while open; its last lines went with it`);
				await this.#fail(chunk, 0, error, true);
				return { done: 0, error, retry: true };
			}
			if (this.#config.fsync === 'batch') await handle.sync();
		} catch (failure) {
			const error = toError(failure);
			const full = chunk.ends.filter((end) => end <= offset).length;
			const boundary = full === 0 ? 0 : (chunk.ends[full - 1] as number);
			// Cut a torn line back out so the file keeps only complete lines (truncating frees space: it works on a full
			// disk). If even that fails, the file is reopened and repaired before the next write.
			const torn =
				offset > boundary &&
				!(await handle.truncate(this.#size + boundary).then(
					() => true,
					() => false,
				));
			const done = await this.#fail(chunk, full, error, torn || (failure as NodeJS.ErrnoException).code !== 'ENOSPC');
			return { done, error };
		}
		this.#size += chunk.bytes;
		this.#first ??= this.#linkAt(chunk, 1);
		return { done: chunk.lines.length - chunk.meta };
	}

	/**
	 * Keeps the first `full` lines of a failed chunk: rewinds the chain to them, re-queues the unwritten records, and
	 * records the gap.
	 */
	async #fail(chunk: Chunk, full: number, error: Error, reopen: boolean): Promise<number> {
		this.#link = full === 0 ? chunk.start : this.#linkAt(chunk, full);
		this.#size += full === 0 ? 0 : (chunk.ends[full - 1] as number);
		if (full > 0) this.#first ??= this.#linkAt(chunk, 1);
		if (full < chunk.records.length) this.#records = [...chunk.records.slice(full), ...this.#records];
		if (chunk.gap !== undefined && full <= chunk.records.length)
			this.#lose(chunk.gap.lost, undefined, chunk.gap.reasons);
		this.#lose(chunk.lines.length - Math.max(full, chunk.meta), error);
		if (reopen) await this.#drop();
		return Math.max(0, full - chunk.meta);
	}

	#lose(count: number, error: Error | undefined, reasons?: ReadonlySet<string>): void {
		if (count === 0 && reasons === undefined) return;
		this.#gap ??= { lost: 0, reasons: new Set() };
		this.#gap.lost += count;
		if (error !== undefined) this.#gap.reasons.add(error.message);
		for (const reason of reasons ?? []) this.#gap.reasons.add(reason);
	}

	/** The link of the `n`-th line (1-based) of a chunk, read back from the line (no state kept per line). */
	#linkAt(chunk: Chunk, n: number): ChainLink {
		if (this.#config.hasher === undefined) return chunk.start;
		return { seq: chunk.start.seq + n, hash: (chunk.lines[n - 1] as string).slice(-67, -3) };
	}

	/** True while the open file is still the one at the path (not deleted, not replaced). */
	async #stillOurs(handle: FileHandle): Promise<boolean> {
		const [own, current] = await Promise.all([handle.stat(), stat(this.#config.path).catch(() => undefined)]);
		return own.nlink > 0 && current !== undefined && current.ino === this.#ino && current.dev === this.#dev;
	}

	async #rotate(): Promise<void> {
		const { path, maxFiles, hasher, fsync } = this.#config;
		const before = this.#link as ChainLink;
		const body = recordBody('rotate', { previous: maxFiles === 0 ? null : `${basename(path)}.1` });
		const header = hasher === undefined ? { line: `{${body}}\n`, link: before } : hasher.line(before, body);
		await this.close();
		await rotateFiles(path, maxFiles, header.line, fsync !== 'never');
		this.#link = header.link;
		this.counters.rotations++;
		await this.#open();
		this.#floor = this.#size;
	}

	async #drop(): Promise<void> {
		const handle = this.#handle;
		this.#handle = undefined;
		await handle?.close().catch(() => undefined);
	}
}

function toError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}
