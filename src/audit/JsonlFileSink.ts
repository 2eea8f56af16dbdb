import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors/ConfigError.js';
import { ToolWardenError } from '../errors/ToolWardenError.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';
import { ChainHasher, type ChainLink } from './chainLine.js';
import { FileLock } from './fileLock.js';
import { resolveSinkOptions, type JsonlFileSinkOptions } from './JsonlFileSinkOptions.js';
import { JsonlWriter, type WriteOutcome } from './JsonlWriter.js';
import { RECORD, ROOM, WATCH } from './sinkProtocol.js';

/** Write counters of a {@link JsonlFileSink}. */
export interface JsonlSinkStats {
	/** Events whose line the OS accepted in full (and, with `fsync: 'batch'`, synced). */
	readonly written: number;
	/** Events that will never be written: a full disk, an I/O error, the file deleted or replaced while open. */
	readonly failed: number;
	/** Events waiting to be written. */
	readonly pending: number;
	/** Files rotated. */
	readonly rotations: number;
	/** Torn last lines removed on open (crash repairs). */
	readonly repairs: number;
	/** Times the file was found deleted or replaced and a new one opened. */
	readonly reopened: number;
}

interface Confirm {
	readonly index: number;
	readonly resolve: () => void;
	readonly reject: (error: Error) => void;
}

/**
 * Appends one JSON line per event to a file, off the call path, and never lies about it: an event counts as written
 * only once the OS accepted its whole line; every loss (a full disk, an I/O error, the file deleted while open) is
 * counted, reported at once (`onError`, the Warden's `onAuditError`) and recorded in the chain as a `gap` line.
 * `flush()`/`close()` resolve only when everything emitted is written, and reject saying how many events were lost
 * and why. One writer per file: a second sink on the same path (in this process or another) is a `ConfigError`.
 * On open it repairs what a crash left (a torn last line, a half-done rotation), so a chain continues.
 *
 * @example
 * ```ts
 * const key = readFileSync('/run/secrets/audit-chain-key');
 * const sink = new JsonlFileSink('logs/audit.jsonl', { hashChain: { key }, maxBytes: 50 * 1024 ** 2 });
 * const warden = new Warden({ audit: sink });
 * const start = sink.firstLink;
 * // ... on shutdown:
 * await warden.close();
 * await storeAnchorSomewhereSafe(sink.lastLink); // later: verifyAuditLog(path, { key, endsAt })
 * ```
 */
export class JsonlFileSink implements AuditSink {
	/** The file, as given. */
	readonly path: string;
	readonly #writer: JsonlWriter;
	#lock: FileLock | undefined;
	readonly #maxBuffered: number;
	readonly #listeners: Array<(error: Error) => void> = [];
	#queue: string[] = [];
	/** Index (since the sink opened) of `#queue[0]`. */
	#base = 0;
	#inFlight = 0;
	#confirms: Confirm[] = [];
	#rooms: Array<() => void> = [];
	#writing: Promise<void> | undefined;
	#scheduled = false;
	#closed: Promise<void> | undefined;
	#written = 0;
	#failed = 0;
	#lostSinceFlush = 0;
	#lossReasons = new Set<string>();

	/** @throws ConfigError for invalid options, or when another live writer holds the file (named in the message) */
	constructor(path: string, options: JsonlFileSinkOptions = {}) {
		if (typeof path !== 'string' || path === '') throw new ConfigError('JsonlFileSink needs a file path.');
		const resolved = resolveSinkOptions(options);
		this.path = path;
		this.#maxBuffered = resolved.maxBufferedEvents;
		if (resolved.onError !== undefined) this.#listeners.push(resolved.onError);
		const absolute = resolve(path);
		// Another live writer is a configuration error, reported at once. A directory that cannot be created or written
		// yet is not: the first write tries again, and its failure is counted and reported like any other.
		const prepare = (): void => {
			if (resolved.mkdir) mkdirSync(dirname(absolute), { recursive: true });
			this.#lock ??= FileLock.acquire(absolute);
		};
		try {
			prepare();
		} catch (error) {
			if (error instanceof ConfigError) throw error;
		}
		const hasher = resolved.chain === false ? undefined : new ChainHasher(resolved.chain.key);
		this.#writer = new JsonlWriter({
			path: absolute,
			maxBytes: resolved.maxBytes,
			maxFiles: resolved.maxFiles,
			fsync: resolved.fsync,
			hasher,
			prepare,
		});
	}

	/** Write counters. */
	get stats(): JsonlSinkStats {
		return {
			written: this.#written,
			failed: this.#failed,
			pending: this.#queue.length + this.#inFlight,
			...this.#writer.counters,
		};
	}

	/**
	 * `{ seq, hash }` of the newest line written in full (chained sinks). Store it outside the log (after `close()`,
	 * or periodically) and pass it as `endsAt` to `verifyAuditLog` to detect lines cut from the end.
	 */
	get lastLink(): ChainLink | undefined {
		return this.#writer.lastLink;
	}

	/** `{ seq, hash }` of the first line this sink wrote: pass it as `startsAt` to detect lines cut from the start. */
	get firstLink(): ChainLink | undefined {
		return this.#writer.firstLink;
	}

	/** Queues one event; it is written with the others of this turn of the event loop. */
	emit(event: AuditEvent): void {
		if (this.#closed !== undefined)
			throw new ToolWardenError(`JsonlFileSink(${this.path}) is closed; the event was not written.`);
		this.#queue.push(JSON.stringify(event));
		this.#schedule();
	}

	/** Resolves once every event emitted so far is written; rejects if any was lost since the last flush. */
	async flush(): Promise<void> {
		while (this.#queue.length > 0 || this.#writing !== undefined) await this.#pump();
		if (this.#lostSinceFlush === 0) return;
		const lost = this.#lostSinceFlush;
		const reasons = [...this.#lossReasons].join('; ');
		this.#lostSinceFlush = 0;
		this.#lossReasons.clear();
		throw new ToolWardenError(`JsonlFileSink(${this.path}): ${lost} event(s) were not written: ${reasons}`);
	}

	/** Flushes, syncs (per `fsync`), closes the file and releases the lock. Rejects like `flush()`. */
	close(): Promise<void> {
		this.#closed ??= this.#close();
		return this.#closed;
	}

	async #close(): Promise<void> {
		try {
			await this.flush();
		} finally {
			for (const wake of this.#rooms.splice(0)) wake();
			try {
				await this.#writer.close();
			} finally {
				this.#lock?.release();
			}
		}
	}

	/** Emits one event and settles once that event is written in full (rejects if it was lost). */
	[RECORD](event: AuditEvent): Promise<void> {
		const index = this.#base + this.#queue.length;
		try {
			this.emit(event);
		} catch (error) {
			// Refused (the sink is closed): this event is lost, and the sink counts it, as for a failed write.
			const refused = error instanceof Error ? error : new Error(String(error));
			this.#failed++;
			this.#report(refused);
			return Promise.reject(refused);
		}
		return new Promise((resolve, reject) => this.#confirms.push({ index, resolve, reject }));
	}

	/** While the buffer is full: a promise that resolves once there is room again. */
	[ROOM](): Promise<void> | undefined {
		if (this.#closed !== undefined || this.#queue.length + this.#inFlight < this.#maxBuffered) return undefined;
		return new Promise((resolve) => this.#rooms.push(resolve));
	}

	[WATCH](listener: (error: Error) => void): void {
		this.#listeners.push(listener);
	}

	#schedule(): void {
		if (this.#scheduled || this.#writing !== undefined) return;
		this.#scheduled = true;
		// Batch every event emitted in this turn of the event loop into one write.
		setImmediate(() => {
			this.#scheduled = false;
			void this.#pump();
		});
	}

	#pump(): Promise<void> {
		if (this.#writing === undefined && this.#queue.length > 0) this.#writing = this.#loop();
		return this.#writing ?? Promise.resolve();
	}

	/** Writes batches until the queue is empty; one batch at a time, so lines keep their order. */
	async #loop(): Promise<void> {
		try {
			while (this.#queue.length > 0) {
				const batch = this.#queue;
				const base = this.#base;
				this.#queue = [];
				this.#base += batch.length;
				this.#inFlight = batch.length;
				const outcome = await this.#writer.write(batch);
				this.#inFlight = 0;
				this.#account(outcome, base, batch.length);
				if (this.#queue.length < this.#maxBuffered) for (const wake of this.#rooms.splice(0)) wake();
			}
		} finally {
			this.#writing = undefined;
		}
	}

	#account(outcome: WriteOutcome, base: number, size: number): void {
		this.#written += outcome.written;
		const lost = outcome.lost.reduce((sum, [from, to]) => sum + to - from, 0);
		let error: Error | undefined;
		if (lost > 0) {
			const reason = outcome.error?.message ?? 'unknown error';
			error = new ToolWardenError(`JsonlFileSink(${this.path}): ${lost} event(s) were not written: ${reason}`, {
				cause: outcome.error,
			});
			this.#failed += lost;
			this.#lostSinceFlush += lost;
			this.#lossReasons.add(reason);
			this.#report(error);
		}
		if (this.#confirms.length === 0) return;
		const end = base + size;
		let settled = 0;
		for (const confirm of this.#confirms) {
			if (confirm.index >= end) break;
			settled++;
			const at = confirm.index - base;
			if (outcome.lost.some(([from, to]) => at >= from && at < to)) confirm.reject(error as Error);
			else confirm.resolve();
		}
		this.#confirms = this.#confirms.slice(settled);
	}

	#report(error: Error): void {
		for (const listener of this.#listeners) {
			try {
				listener(error);
			} catch {
				// A broken error callback must not break the write loop.
			}
		}
	}
}
