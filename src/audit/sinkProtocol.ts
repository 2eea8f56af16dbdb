/**
 * What the audit trail asks of a sink beyond `AuditSink`, when the sink offers it (JsonlFileSink does). Internal:
 * keyed by registered symbols so two copies of the package still understand each other, and never exported.
 */

/** `(event) => Promise<void>`: emits one event and settles once that event is written in full (rejects if lost). */
export const RECORD = Symbol.for('toolwarden.auditSink.record.v1');
/** `() => Promise<void> | undefined`: a promise while the sink's buffer is full, resolved once there is room. */
export const ROOM = Symbol.for('toolwarden.auditSink.room.v1');
/** `(listener) => void`: the sink reports write failures to `listener` as they happen. */
export const WATCH = Symbol.for('toolwarden.auditSink.watch.v1');

/** The optional members above, as a type. */
export interface SinkProtocol {
	[RECORD]?(event: unknown): Promise<void>;
	[ROOM]?(): Promise<void> | undefined;
	[WATCH]?(listener: (error: Error) => void): void;
	readonly stats?: { readonly written: number; readonly failed: number; readonly pending: number };
}
