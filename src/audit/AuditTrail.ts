import { ConfigError } from '../errors/ConfigError.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { ToolWardenError } from '../errors/ToolWardenError.js';
import { errorMessage, errorName } from '../_internal/text.js';
import { isThenable } from '../_internal/isThenable.js';
import type { AuditEvent } from './AuditEvent.js';
import type { AuditSink } from './AuditSink.js';
import { RECORD, ROOM, WATCH, type SinkProtocol } from './sinkProtocol.js';

/** Called when a sink throws, rejects or fails to flush. The error message has passed redaction. */
export type AuditErrorHandler = (error: Error, event: AuditEvent | undefined, sink: AuditSink) => void;

/**
 * What became of the audit events, summed over the sinks (an event sent to two sinks counts twice).
 *
 * @example
 * ```ts
 * const { written, failed, pending } = warden.auditStats;
 * if (failed > 0) alert(`${failed} audit event(s) lost`);
 * ```
 */
export interface AuditStats {
	/**
	 * Events written. A sink that keeps its own counts (`JsonlFileSink`) counts only lines the OS accepted in full;
	 * for other sinks, events handed over without an error (emit returned, or its promise resolved).
	 */
	readonly written: number;
	/** Events lost: a sink threw or rejected, or reported events it could not write (a flush that failed counts one). */
	readonly failed: number;
	/** Events waiting: in a sink's buffer, or in an emit promise not yet settled. */
	readonly pending: number;
}

/**
 * Hands events to every sink without letting a sink break or slow a governed call: synchronous sinks are called
 * inline, asynchronous ones tracked until `flush()`. Failures are counted and reported, never swallowed silently.
 */
export class AuditTrail {
	readonly sinks: readonly AuditSink[];
	/** Per sink: whether it keeps its own counts (a sink does or does not for its whole life), read once. */
	readonly #counting: readonly boolean[];
	/** The sinks that can ask callers to wait for room in their buffer. */
	readonly #bounded: readonly AuditSink[];
	readonly #pending = new Set<Promise<void>>();
	readonly #onError: AuditErrorHandler;
	readonly #redaction: RedactionPolicy;
	#delivered = 0;
	#failed = 0;
	/** Events lost since the last flush, at the trail (sinks that threw or rejected), and why. */
	#lost = 0;
	readonly #reasons = new Set<string>();

	constructor(sinks: readonly AuditSink[], redaction: RedactionPolicy, onError: AuditErrorHandler | undefined) {
		sinks.forEach((sink, i) => {
			if (typeof sink !== 'object' || sink === null || typeof (sink as Partial<AuditSink>).emit !== 'function') {
				throw new ConfigError(`audit[${i}] is not an audit sink: it needs an emit(event) method.`, {
					path: `audit[${i}]`,
				});
			}
		});
		this.sinks = sinks;
		this.#counting = sinks.map((sink) => countsOf(sink) !== undefined);
		this.#bounded = sinks.filter((sink) => typeof (sink as SinkProtocol)[ROOM] === 'function');
		this.#redaction = redaction;
		this.#onError = onError ?? warnOnce();
		// A sink that reports its write failures as they happen: pass them on at once (it counts them itself).
		for (const sink of sinks) (sink as SinkProtocol)[WATCH]?.((error) => this.#tell(error, undefined, sink));
	}

	get enabled(): boolean {
		return this.sinks.length > 0;
	}

	get stats(): AuditStats {
		let written = this.#delivered;
		let failed = this.#failed;
		let pending = this.#pending.size;
		for (const sink of this.sinks) {
			const counts = countsOf(sink);
			if (counts === undefined) continue;
			written += counts.written;
			failed += counts.failed;
			pending += counts.pending;
		}
		return { written, failed, pending };
	}

	/** A promise while a sink's buffer is full (the caller waits before adding more), else undefined. */
	room(): Promise<void> | undefined {
		for (const sink of this.#bounded) {
			const wait = (sink as SinkProtocol)[ROOM]?.();
			if (wait !== undefined) return wait;
		}
		return undefined;
	}

	emit(event: AuditEvent): void {
		const { sinks } = this;
		for (let i = 0; i < sinks.length; i++) {
			const sink = sinks[i] as AuditSink;
			try {
				const done = sink.emit(event);
				if (isThenable(done)) this.#track(Promise.resolve(done), event, sink);
				else if (this.#counting[i] !== true) this.#delivered++;
			} catch (error) {
				this.#lose(error, event, sink);
			}
		}
	}

	/**
	 * Emits `event` and waits until every sink has it: its own line written, for a sink that can tell
	 * (`JsonlFileSink`), else its emit settled and its `flush()` resolved. Rejects with the first failure, after
	 * reporting every one.
	 */
	async record(event: AuditEvent): Promise<void> {
		let first: unknown;
		await Promise.all(
			this.sinks.map(async (sink) => {
				const record = (sink as SinkProtocol)[RECORD];
				try {
					if (record !== undefined) {
						// Waits for this event's own line, not for the whole buffer (nor fails for others' losses).
						await record.call(sink, event);
						return;
					}
					await sink.emit(event);
					await sink.flush?.();
					this.#delivered++;
				} catch (error) {
					first ??= error;
					// A recording sink counted and reported its own loss.
					if (record === undefined) this.#lose(error, event, sink);
				}
			}),
		);
		if (first !== undefined) throw first instanceof Error ? first : new Error(errorMessage(first));
	}

	/** Drains every sink; rejects, saying how many events were lost and why, when any was since the last flush. */
	flush(): Promise<void> {
		return this.#drain('flush');
	}

	/** Drains and closes every sink; rejects like `flush()`. */
	close(): Promise<void> {
		return this.#drain('close');
	}

	async #drain(method: 'flush' | 'close'): Promise<void> {
		while (this.#pending.size > 0) await Promise.all([...this.#pending]);
		const failures = await Promise.all(
			this.sinks.map((sink) => this.#call(sink, method === 'close' && sink.close !== undefined ? 'close' : 'flush')),
		);
		const messages = failures.filter((message) => message !== undefined);
		if (this.#lost > 0)
			messages.unshift(`${this.#lost} event(s) were not accepted by their sink (${[...this.#reasons].join('; ')})`);
		this.#lost = 0;
		this.#reasons.clear();
		if (messages.length > 0)
			throw new ToolWardenError(this.#redaction.redactText(`The audit trail lost events: ${messages.join(' | ')}`));
	}

	/** Runs a sink's flush or close; returns its failure's message, reported (and counted, unless the sink counts). */
	async #call(sink: AuditSink, method: 'flush' | 'close'): Promise<string | undefined> {
		if (typeof sink[method] !== 'function') return undefined;
		try {
			await sink[method]();
			return undefined;
		} catch (error) {
			// A sink that counts its losses has reported them already, as they happened.
			if (countsOf(sink) === undefined) this.#report(error, undefined, sink);
			else if ((sink as SinkProtocol)[WATCH] === undefined) this.#tell(error, undefined, sink);
			return `${sinkName(sink)}: ${errorMessage(error)}`;
		}
	}

	#track(promise: Promise<void>, event: AuditEvent, sink: AuditSink): void {
		const tracked = promise.then(
			() => {
				if (countsOf(sink) === undefined) this.#delivered++;
			},
			(error: unknown) => this.#lose(error, event, sink),
		);
		this.#pending.add(tracked);
		void tracked.finally(() => this.#pending.delete(tracked));
	}

	/** An event a sink did not accept: counted, remembered for the next flush, reported. */
	#lose(error: unknown, event: AuditEvent, sink: AuditSink): void {
		this.#lost++;
		if (this.#reasons.size < 10) this.#reasons.add(`${sinkName(sink)}: ${errorMessage(error)}`);
		this.#report(error, event, sink);
	}

	#report(error: unknown, event: AuditEvent | undefined, sink: AuditSink): void {
		this.#failed++;
		this.#tell(error, event, sink);
	}

	/** Reports a failure to onAuditError, redacted, without counting it. */
	#tell(error: unknown, event: AuditEvent | undefined, sink: AuditSink): void {
		const safe = new Error(
			this.#redaction.redactText(`Audit sink ${sinkName(sink)} failed: ${errorName(error)}: ${errorMessage(error)}`),
		);
		safe.name = 'AuditSinkError';
		try {
			this.#onError(safe, event, sink);
		} catch {
			// A broken error handler must not break the governed call either; the failure is still counted.
		}
	}
}

/** The counts of a sink that keeps its own (`stats` with written, failed, pending), else undefined. */
function countsOf(sink: AuditSink): AuditStats | undefined {
	const stats = (sink as SinkProtocol).stats;
	return typeof stats === 'object' &&
		stats !== null &&
		typeof stats.written === 'number' &&
		typeof stats.failed === 'number' &&
		typeof stats.pending === 'number'
		? stats
		: undefined;
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
		process.emitWarning(
			`${error.message} (further audit failures are counted in warden.auditStats; set onAuditError to handle them)`,
			{ code: 'TOOLWARDEN_AUDIT' },
		);
	};
}
