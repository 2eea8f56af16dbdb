import { checkKeys } from '../_internal/validate.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';

/** Options of {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
	/**
	 * Where the lines go.
	 * @default process.stdout
	 */
	readonly stream?: { write(chunk: string): unknown };
}

/**
 * Writes one JSON line per event (the events are already redacted).
 *
 * @example
 * ```ts
 * new Warden({ audit: new ConsoleSink({ stream: process.stderr }) });
 * ```
 */
export class ConsoleSink implements AuditSink {
	readonly #stream: { write(chunk: string): unknown };

	constructor(options: ConsoleSinkOptions = {}) {
		checkKeys(options, ['stream'], 'ConsoleSinkOptions');
		const stream = options.stream ?? process.stdout;
		if (typeof stream?.write !== 'function')
			throw new ConfigError('ConsoleSinkOptions.stream must have a write(chunk) method.');
		this.#stream = stream;
	}

	emit(event: AuditEvent): void {
		this.#stream.write(`${JSON.stringify(event)}\n`);
	}
}
