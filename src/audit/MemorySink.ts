import { ConfigError } from '../errors/ConfigError.js';
import { checkKeys, checkLimit } from '../_internal/validate.js';
import type { AuditAction } from './AuditAction.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';

/** Options of {@link MemorySink}. */
export interface MemorySinkOptions {
	/**
	 * Keep only the most recent events (a ring), so a long-running process cannot grow without bound.
	 * @default Infinity
	 */
	readonly maxEvents?: number;
}

/**
 * Keeps events in memory, in order: for tests, demos and in-process inspection.
 *
 * @example
 * ```ts
 * const sink = new MemorySink();
 * const warden = new Warden({ audit: sink });
 * await warden.run('search', { q: 'x' }, search);
 * sink.events.map((e) => e.action); // ['call_allowed', 'call_executed']
 * ```
 */
export class MemorySink implements AuditSink {
	readonly #events: AuditEvent[] = [];
	readonly #max: number;

	constructor(options: MemorySinkOptions = {}) {
		checkKeys(options, ['maxEvents'], 'MemorySinkOptions');
		this.#max = checkLimit(options.maxEvents, 'MemorySinkOptions.maxEvents', Infinity);
		if (this.#max < 1) throw new ConfigError('MemorySinkOptions.maxEvents must be at least 1.');
	}

	/** The events received, oldest first. */
	get events(): readonly AuditEvent[] {
		return this.#events;
	}

	emit(event: AuditEvent): void {
		if (this.#events.length >= this.#max) this.#events.shift();
		this.#events.push(event);
	}

	/** The events with this action. */
	ofAction(action: AuditAction): AuditEvent[] {
		return this.#events.filter((event) => event.action === action);
	}

	clear(): void {
		this.#events.length = 0;
	}
}
