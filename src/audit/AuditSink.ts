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
	/**
	 * The sink's own counts, when it keeps them (`JsonlFileSink` does): `warden.auditStats` then reports these instead
	 * of counting hand-overs, so `written` means written. A sink that counts its losses should also reject `flush()`
	 * when it lost events.
	 * @default none (the Warden counts events handed over without an error)
	 */
	readonly stats?: { readonly written: number; readonly failed: number; readonly pending: number };
}
