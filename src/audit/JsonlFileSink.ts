import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../errors/ConfigError.js';
import { ToolWardenError } from '../errors/ToolWardenError.js';
import { checkKeys } from '../_internal/validate.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';

/** Options of {@link JsonlFileSink}. */
export interface JsonlFileSinkOptions {
	/**
	 * Create the file's directory when it is missing.
	 * @default true
	 */
	readonly mkdir?: boolean;
}

/**
 * Appends one JSON line per event to a file. `emit` only buffers: lines are written asynchronously in batches, off
 * the call path; `flush()` and `close()` wait until every buffered line is on disk (`warden.close()` calls them).
 * A failed write is kept and reported by the next `flush()`, which the Warden forwards to `onAuditError`.
 *
 * @example
 * ```ts
 * const warden = new Warden({ audit: new JsonlFileSink('logs/audit.jsonl') });
 * // ...
 * await warden.close(); // every event is in the file
 * ```
 */
export class JsonlFileSink implements AuditSink {
	readonly path: string;
	readonly #mkdir: boolean;
	#buffer: string[] = [];
	#scheduled = false;
	#closed = false;
	#handle: Promise<FileHandle> | undefined;
	#writing: Promise<void> = Promise.resolve();
	#errors: unknown[] = [];
	#lost = 0;

	constructor(path: string, options: JsonlFileSinkOptions = {}) {
		if (typeof path !== 'string' || path === '') throw new ConfigError('JsonlFileSink needs a file path.');
		checkKeys(options, ['mkdir'], 'JsonlFileSinkOptions');
		this.path = path;
		this.#mkdir = options.mkdir !== false;
	}

	emit(event: AuditEvent): void {
		if (this.#closed) throw new ToolWardenError(`JsonlFileSink(${this.path}) is closed; the event was not written.`);
		this.#buffer.push(`${JSON.stringify(event)}\n`);
		if (!this.#scheduled) {
			this.#scheduled = true;
			// Batch every event emitted in this turn of the event loop into one write.
			setImmediate(() => this.#drain());
		}
	}

	async flush(): Promise<void> {
		this.#drain();
		await this.#writing;
		if (this.#errors.length > 0) {
			const [first] = this.#errors;
			const lost = this.#lost;
			this.#errors = [];
			this.#lost = 0;
			throw new ToolWardenError(`JsonlFileSink(${this.path}) failed to write ${lost} line(s): ${first instanceof Error ? first.message : String(first)}`, { cause: first });
		}
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		try {
			await this.flush();
		} finally {
			this.#closed = true;
			const handle = this.#handle;
			this.#handle = undefined;
			if (handle !== undefined) await handle.then((h) => h.close(), () => undefined);
		}
	}

	#drain(): void {
		this.#scheduled = false;
		if (this.#buffer.length === 0) return;
		const lines = this.#buffer;
		this.#buffer = [];
		this.#writing = this.#writing.then(() => this.#write(lines));
	}

	async #write(lines: readonly string[]): Promise<void> {
		try {
			const handle = await this.#open();
			await handle.write(lines.join(''));
		} catch (error) {
			// Kept for the next flush() to report; a rejected chain would drop every later write.
			this.#errors.push(error);
			this.#lost += lines.length;
			this.#handle = undefined;
		}
	}

	#open(): Promise<FileHandle> {
		this.#handle ??= (async () => {
			if (this.#mkdir) await mkdir(dirname(this.path), { recursive: true });
			return open(this.path, 'a');
		})();
		return this.#handle;
	}
}
