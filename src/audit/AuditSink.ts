import type { AuditEvent } from './AuditEvent.js';

/**
 * Where audit events go. `emit` is called synchronously on the call path, so it must not block: buffer and write
 * asynchronously, returning a promise if it can fail later. A throwing or rejecting sink never breaks a governed
 * call; the failure is reported to `WardenOptions.onAuditError` and counted.
 *
 * @example
 * ```ts
 * const sink: AuditSink = {
 *   emit(event) { queue.push(event); },
 *   async flush() { await shipToSiem(queue.splice(0)); },
 * };
 * ```
 */
export interface AuditSink {
	emit(event: AuditEvent): void | Promise<void>;
	/** Writes out anything buffered. */
	flush?(): Promise<void>;
	/** Flushes and releases resources; no emit follows. */
	close?(): Promise<void>;
}
