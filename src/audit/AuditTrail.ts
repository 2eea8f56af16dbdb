import { ConfigError } from '../errors/ConfigError.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { errorMessage, errorName, isThenable } from '../_internal/text.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';

/** Called when a sink throws, rejects or fails to flush. The error message has passed redaction. */
export type AuditErrorHandler = (error: Error, event: AuditEvent | undefined, sink: AuditSink) => void;

/** Delivery counters of the audit trail. */
export interface AuditStats {
	/** Events handed to sinks (one per sink per event). */
	readonly delivered: number;
	/** Deliveries and flushes that failed. */
	readonly failed: number;
}

/**
 * Hands events to every sink without letting a sink break or slow a governed call: synchronous sinks are called
 * inline, asynchronous ones tracked until `flush()`. Failures are counted and reported, never swallowed silently.
 */
export class AuditTrail {
	readonly sinks: readonly AuditSink[];
	readonly #pending = new Set<Promise<void>>();
	readonly #onError: AuditErrorHandler;
	readonly #redaction: RedactionPolicy;
	#delivered = 0;
	#failed = 0;

	constructor(sinks: readonly AuditSink[], redaction: RedactionPolicy, onError: AuditErrorHandler | undefined) {
		sinks.forEach((sink, i) => {
			if (typeof sink !== 'object' || sink === null || typeof (sink as Partial<AuditSink>).emit !== 'function') {
				throw new ConfigError(`audit[${i}] is not an audit sink: it needs an emit(event) method.`, { path: `audit[${i}]` });
			}
		});
		this.sinks = sinks;
		this.#redaction = redaction;
		this.#onError = onError ?? warnOnce();
	}

	get enabled(): boolean {
		return this.sinks.length > 0;
	}

	get stats(): AuditStats {
		return { delivered: this.#delivered, failed: this.#failed };
	}

	emit(event: AuditEvent): void {
		for (const sink of this.sinks) {
			try {
				const done = sink.emit(event);
				if (isThenable(done)) this.#track(Promise.resolve(done), event, sink);
				else this.#delivered++;
			} catch (error) {
				this.#report(error, event, sink);
			}
		}
	}

	/**
	 * Emits `event` and waits until every sink has it durably (its emit settled and its `flush()` resolved).
	 * Rejects with the first failure, after reporting every one.
	 */
	async record(event: AuditEvent): Promise<void> {
		let first: unknown;
		await Promise.all(
			this.sinks.map(async (sink) => {
				try {
					await sink.emit(event);
					await sink.flush?.();
					this.#delivered++;
				} catch (error) {
					first ??= error;
					this.#report(error, event, sink);
				}
			}),
		);
		if (first !== undefined) throw first instanceof Error ? first : new Error(errorMessage(first));
	}

	async flush(): Promise<void> {
		while (this.#pending.size > 0) await Promise.all([...this.#pending]);
		await Promise.all(this.sinks.map((sink) => this.#call(sink, 'flush')));
	}

	async close(): Promise<void> {
		while (this.#pending.size > 0) await Promise.all([...this.#pending]);
		await Promise.all(this.sinks.map((sink) => this.#call(sink, sink.close === undefined ? 'flush' : 'close')));
	}

	async #call(sink: AuditSink, method: 'flush' | 'close'): Promise<void> {
		if (typeof sink[method] !== 'function') return;
		try {
			await sink[method]();
		} catch (error) {
			this.#report(error, undefined, sink);
		}
	}

	#track(promise: Promise<void>, event: AuditEvent, sink: AuditSink): void {
		const tracked = promise.then(
			() => {
				this.#delivered++;
			},
			(error: unknown) => this.#report(error, event, sink),
		);
		this.#pending.add(tracked);
		void tracked.finally(() => this.#pending.delete(tracked));
	}

	#report(error: unknown, event: AuditEvent | undefined, sink: AuditSink): void {
		this.#failed++;
		const safe = new Error(this.#redaction.redactText(`Audit sink ${sinkName(sink)} failed: ${errorName(error)}: ${errorMessage(error)}`));
		safe.name = 'AuditSinkError';
		try {
			this.#onError(safe, event, sink);
		} catch {
			// A broken error handler must not break the governed call either; the failure is still counted.
		}
	}
}

function sinkName(sink: AuditSink): string {
	const name = (sink as { constructor?: { name?: string } }).constructor?.name;
	return name === undefined || name === 'Object' ? 'sink' : name;
}

/** Default handler: one process warning per trail, so a failing sink is noticed without flooding the output. */
function warnOnce(): AuditErrorHandler {
	let warned = false;
	return (error) => {
		if (warned) return;
		warned = true;
		process.emitWarning(`${error.message} (further audit failures are counted in warden.auditStats; set onAuditError to handle them)`, { code: 'TOOLWARDEN_AUDIT' });
	};
}
