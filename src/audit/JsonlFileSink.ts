import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../errors/ConfigError.js';
import { ToolWardenError } from '../errors/ToolWardenError.js';
import { checkKeys, checkLimit, checkOneOf } from '../_internal/validate.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';
import { chainedJson, GENESIS_HASH, sha256, type ChainLink } from './hashChain.js';

/**
 * When the sink asks the OS to put written lines on disk (`fsync`):
 * - `never`: leave it to the OS (fastest; a machine crash can lose the last seconds);
 * - `close`: once, when the sink closes;
 * - `batch`: after every batch write (durable at each flush; slowest).
 */
export type FsyncPolicy = 'never' | 'close' | 'batch';

/** Options of {@link JsonlFileSink}. */
export interface JsonlFileSinkOptions {
	/**
	 * Create the file's directory when it is missing.
	 * @default true
	 */
	readonly mkdir?: boolean;
	/**
	 * Rotate when the file would grow past this many bytes: `audit.jsonl` becomes `audit.jsonl.1`, `.1` becomes `.2`...
	 * @default Infinity (no rotation)
	 */
	readonly maxBytes?: number;
	/**
	 * Rotated files to keep (the oldest beyond this are deleted).
	 * @default 5
	 */
	readonly maxFiles?: number;
	/** @default 'close' */
	readonly fsync?: FsyncPolicy;
	/**
	 * Chain lines with `seq`, `prevHash` and `hash` (SHA-256 over the canonical JSON of the redacted event), so edits,
	 * deletions, insertions and reorderings are detectable with `verifyAuditLog`. The chain continues across rotations
	 * and across restarts that append to the same file.
	 * @default false
	 */
	readonly hashChain?: boolean;
	/**
	 * Most lines held in memory while writes fail (they are retried); past it the newest are dropped, counted and
	 * reported (with a hash chain, the gap is then visible to `verifyAuditLog`). While writes succeed, a burst is
	 * buffered whole and written in batches: nothing is dropped for being fast.
	 * @default 100_000
	 */
	readonly maxBufferedLines?: number;
	/**
	 * Called at once when a write fails (it will be retried) or lines are dropped. `flush()` also rejects while lines
	 * cannot be written, which is how the Warden learns of it (`onAuditError`, `auditFailMode`).
	 * @default none
	 */
	readonly onError?: (error: Error) => void;
}

/** Write counters of a {@link JsonlFileSink}. */
export interface JsonlSinkStats {
	readonly written: number;
	readonly pending: number;
	readonly failedWrites: number;
	readonly dropped: number;
	readonly rotations: number;
}

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5_000;

/**
 * Appends one JSON line per event to a file, durably and off the call path. `emit` only serialises and buffers; a
 * single write chain writes batches, rotates by size, and applies the fsync policy. `flush()`/`close()` resolve once
 * every buffered line is written (`warden.close()` calls them), so a process that closes its Warden loses no event.
 * A failed write keeps its lines and is retried with backoff; `flush()` rejects while they cannot be written.
 *
 * @example
 * ```ts
 * const sink = new JsonlFileSink('logs/audit.jsonl', { hashChain: true, maxBytes: 50 * 1024 * 1024, maxFiles: 10 });
 * const warden = new Warden({ audit: sink });
 * // ... on shutdown:
 * await warden.close();
 * await storeAnchorSomewhereSafe(sink.lastLink); // detects a truncated tail later
 * ```
 */
export class JsonlFileSink implements AuditSink {
	readonly path: string;
	readonly #mkdir: boolean;
	readonly #maxBytes: number;
	readonly #maxFiles: number;
	readonly #fsync: FsyncPolicy;
	readonly #hashChain: boolean;
	readonly #maxBuffered: number;
	readonly #onError: ((error: Error) => void) | undefined;

	#buffer: string[] = [];
	#scheduled = false;
	#closed = false;
	#handle: FileHandle | undefined;
	#size = 0;
	#writing: Promise<void> = Promise.resolve();
	#lastError: unknown;
	#retryDelay = RETRY_MIN_MS;
	#retryTimer: NodeJS.Timeout | undefined;
	#chain: Promise<void> | undefined;
	#waiting: AuditEvent[] = [];
	#link: { seq: number; hash: string } | undefined;
	#stats = { written: 0, failedWrites: 0, dropped: 0, rotations: 0 };
	#droppedSinceFlush = 0;

	constructor(path: string, options: JsonlFileSinkOptions = {}) {
		if (typeof path !== 'string' || path === '') throw new ConfigError('JsonlFileSink needs a file path.');
		checkKeys(options, ['mkdir', 'maxBytes', 'maxFiles', 'fsync', 'hashChain', 'maxBufferedLines', 'onError'], 'JsonlFileSinkOptions');
		if (options.onError !== undefined && typeof options.onError !== 'function') throw new ConfigError('JsonlFileSinkOptions.onError must be a function.');
		this.path = path;
		this.#mkdir = options.mkdir !== false;
		this.#maxBytes = checkLimit(options.maxBytes, 'JsonlFileSinkOptions.maxBytes', Infinity);
		if (this.#maxBytes < 1024) throw new ConfigError('JsonlFileSinkOptions.maxBytes must be at least 1024.');
		this.#maxFiles = checkLimit(options.maxFiles, 'JsonlFileSinkOptions.maxFiles', 5);
		this.#fsync = options.fsync === undefined ? 'close' : checkOneOf(options.fsync, ['never', 'close', 'batch'] as const, 'JsonlFileSinkOptions.fsync');
		this.#hashChain = options.hashChain === true;
		this.#maxBuffered = checkLimit(options.maxBufferedLines, 'JsonlFileSinkOptions.maxBufferedLines', 100_000);
		this.#onError = options.onError;
	}

	/** Write counters. */
	get stats(): JsonlSinkStats {
		return { ...this.#stats, pending: this.#buffer.length };
	}

	/**
	 * The last link of the hash chain handed out so far (`seq` and `hash` of the newest line), or undefined before the
	 * first chained event. Store it outside the log to detect a truncated tail with `verifyAuditLog(..., { endsAt })`.
	 */
	get lastLink(): { readonly seq: number; readonly hash: string } | undefined {
		return this.#link;
	}

	emit(event: AuditEvent): void | Promise<void> {
		if (this.#closed) throw new ToolWardenError(`JsonlFileSink(${this.path}) is closed; the event was not written.`);
		if (this.#hashChain) {
			// The chain's tail is read from the file once (a restart continues it); until then events wait, in order.
			if (this.#link === undefined) {
				this.#waiting.push(event);
				return this.#continueChain();
			}
			this.#push(this.#chained(event));
			return;
		}
		this.#push(`${JSON.stringify(event)}\n`);
	}

	async flush(): Promise<void> {
		await this.#chain;
		this.#drain();
		await this.#writing;
		if (this.#buffer.length > 0 && this.#lastError !== undefined) {
			// Lines are still buffered because writing keeps failing: one more attempt now, then report.
			this.#cancelRetry();
			this.#drain();
			await this.#writing;
		}
		const dropped = this.#droppedSinceFlush;
		this.#droppedSinceFlush = 0;
		if (this.#buffer.length > 0) {
			throw new ToolWardenError(`JsonlFileSink(${this.path}) cannot write ${this.#buffer.length} line(s) (kept and retried): ${describe(this.#lastError)}`, { cause: this.#lastError });
		}
		if (dropped > 0) throw new ToolWardenError(`JsonlFileSink(${this.path}) dropped ${dropped} line(s): the write buffer was full while writes failed (${describe(this.#lastError)}).`);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		try {
			await this.flush();
		} finally {
			this.#closed = true;
			this.#cancelRetry();
			const handle = this.#handle;
			this.#handle = undefined;
			if (handle !== undefined) {
				if (this.#fsync !== 'never') await handle.sync().catch(() => undefined);
				await handle.close().catch(() => undefined);
			}
		}
	}

	#chained(event: AuditEvent): string {
		const link = this.#link ?? { seq: 0, hash: GENESIS_HASH };
		const seq = link.seq + 1;
		// The hashed canonical JSON is the line itself, with the hash appended as its last field: one serialisation.
		const canonical = chainedJson(event, seq, link.hash);
		const hash = sha256(canonical);
		this.#link = { seq, hash };
		return `${canonical.slice(0, -1)},"hash":"${hash}"}\n`;
	}

	#continueChain(): Promise<void> {
		this.#chain ??= readLastLink(this.path).then((last) => {
			this.#link = last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash };
			for (const event of this.#waiting) this.#push(this.#chained(event));
			this.#waiting = [];
		});
		return this.#chain;
	}

	#push(line: string): void {
		if (this.#lastError !== undefined && this.#buffer.length >= this.#maxBuffered) {
			this.#stats.dropped++;
			this.#droppedSinceFlush++;
			this.#report(new ToolWardenError(`JsonlFileSink(${this.path}) dropped a line: ${this.#maxBuffered} lines are waiting for a failing write.`));
			return;
		}
		this.#buffer.push(line);
		if (!this.#scheduled && this.#retryTimer === undefined) {
			this.#scheduled = true;
			// Batch every event emitted in this turn of the event loop into one write.
			setImmediate(() => this.#drain());
		}
	}

	#drain(): void {
		this.#scheduled = false;
		if (this.#buffer.length === 0 || this.#retryTimer !== undefined) return;
		this.#writing = this.#writing.then(() => this.#writeBuffered());
	}

	/** Writes what is buffered; on failure the lines stay at the front of the buffer and a retry is scheduled. */
	async #writeBuffered(): Promise<void> {
		const lines = this.#buffer;
		if (lines.length === 0) return;
		this.#buffer = [];
		let written = 0;
		try {
			const handle = await this.#open();
			while (written < lines.length) {
				const chunk: string[] = [];
				let bytes = 0;
				while (written + chunk.length < lines.length) {
					const line = lines[written + chunk.length] as string;
					const size = Buffer.byteLength(line);
					if (this.#size + bytes + size > this.#maxBytes && (this.#size > 0 || chunk.length > 0)) break;
					chunk.push(line);
					bytes += size;
				}
				if (chunk.length > 0) {
					await (this.#handle ?? handle).write(chunk.join(''));
					this.#size += bytes;
					written += chunk.length;
					this.#stats.written += chunk.length;
				}
				if (written < lines.length) await this.#rotate();
			}
			if (this.#fsync === 'batch') await this.#handle?.sync();
			this.#lastError = undefined;
			this.#retryDelay = RETRY_MIN_MS;
		} catch (error) {
			this.#lastError = error;
			this.#stats.failedWrites++;
			this.#buffer = [...lines.slice(written), ...this.#buffer];
			const handle = this.#handle;
			this.#handle = undefined;
			await handle?.close().catch(() => undefined);
			this.#report(new ToolWardenError(`JsonlFileSink(${this.path}) write failed, ${this.#buffer.length} line(s) kept for retry: ${describe(error)}`, { cause: error }));
			if (!this.#closed) this.#scheduleRetry();
		}
	}

	async #open(): Promise<FileHandle> {
		if (this.#handle !== undefined) return this.#handle;
		if (this.#mkdir) await mkdir(dirname(this.path), { recursive: true });
		const handle = await open(this.path, 'a');
		this.#size = (await handle.stat()).size;
		this.#handle = handle;
		return handle;
	}

	async #rotate(): Promise<void> {
		const handle = this.#handle;
		this.#handle = undefined;
		if (handle !== undefined) {
			if (this.#fsync !== 'never') await handle.sync();
			await handle.close();
		}
		if (this.#maxFiles === 0) {
			await rm(this.path, { force: true });
		} else {
			await rm(`${this.path}.${this.#maxFiles}`, { force: true });
			for (let i = this.#maxFiles - 1; i >= 1; i--) {
				if (await exists(`${this.path}.${i}`)) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`);
			}
			await rename(this.path, `${this.path}.1`);
		}
		this.#stats.rotations++;
		await this.#open();
	}

	#scheduleRetry(): void {
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = undefined;
			this.#drain();
		}, this.#retryDelay);
		// A pending retry must not keep the process alive; close()/flush() retry on their own.
		this.#retryTimer.unref();
		this.#retryDelay = Math.min(this.#retryDelay * 2, RETRY_MAX_MS);
	}

	#cancelRetry(): void {
		if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
		this.#retryTimer = undefined;
	}

	#report(error: Error): void {
		try {
			this.#onError?.(error);
		} catch {
			// The sink's own error callback must not break the write loop.
		}
	}
}

async function exists(path: string): Promise<boolean> {
	return stat(path).then(
		() => true,
		() => false,
	);
}

/** The chain fields of the last complete line of an existing log, if any. */
async function readLastLink(path: string): Promise<ChainLink | undefined> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch {
		return undefined;
	}
	const lines = text.trimEnd().split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		try {
			const parsed = JSON.parse(lines[i] as string) as Partial<ChainLink>;
			if (typeof parsed.seq === 'number' && typeof parsed.hash === 'string' && typeof parsed.prevHash === 'string') return parsed as ChainLink;
		} catch {
			// A torn last line (a crash mid-write): continue from the last complete one.
		}
	}
	return undefined;
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
