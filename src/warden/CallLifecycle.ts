import { performance } from 'node:perf_hooks';
import { AuditAction } from '../audit/AuditAction.js';
import { postEvent, preAction, preEvent, redactCall, warningEvent, type RedactedCall } from '../audit/buildEvent.js';
import { envelopeOf, type EnvelopeOptions } from '../envelope/createEnvelope.js';
import { hasSideEffect } from '../envelope/hasSideEffect.js';
import { InvalidArgs } from '../errors/InvalidArgs.js';
import type { CallOptions, ToolEnvelope } from '../envelope/types.js';
import type { PostDecision, PreDecision } from '../decisions/decisions.js';
import type { GovernancePipeline, PreResult } from '../pipeline/GovernancePipeline.js';
import { CallStorage, needsCallView } from '../storage/CallStorage.js';
import type { SessionCounters } from '../storage/StorageBackend.js';
import { isThenable } from '../_internal/isThenable.js';
import { isoAt } from '../_internal/clock.js';
import { checkKeys } from '../_internal/validate.js';
import type { SessionGuards } from '../guards/SessionGuards.js';
import { hardDeny, storageDecision, withDegraded } from './denials.js';
import { CALL_OPTION_KEYS, envelopeOptions, fallbackEnvelope } from './envelopeOptions.js';
import { CallHandle, type CallDriver, type RunOutcome } from './GovernedCall.js';
import { countDecision } from './countDecision.js';
import { auditSlowly } from './auditSlowly.js';
import { decidedState, NO_COUNTERS, startState, type CallState, type LifecycleHost } from './CallState.js';

/**
 * One governed call from start to end: the attempt, the envelope, the pipeline, the audit hand-off, and after the run
 * the guards, postconditions, after-hooks, outcome count and post events. Synchronous while every step is: the
 * first thenable answer (a remote store, an async rule or sink) continues asynchronously from where it stood, so a
 * call whose rules and store are all in-process makes no promise of its own.
 */
export class CallLifecycle {
	readonly #host: LifecycleHost;
	/** The envelope options of a call that names none: the Warden's registry, session and environment. */
	readonly #defaults: EnvelopeOptions;
	/** The pipeline and guards in force; the Warden replaces them when `protect()` registers more contracts. */
	pipeline: GovernancePipeline;
	guards: SessionGuards;
	/** Set by `warden.close()`: from then on every call is denied, as nothing could audit it. */
	closed = false;

	constructor(host: LifecycleHost, pipeline: GovernancePipeline, guards: SessionGuards) {
		this.#host = host;
		this.#defaults = { tools: host.options.tools, sessionId: host.sessionId, environment: host.environment };
		this.pipeline = pipeline;
		this.guards = guards;
	}

	/**
	 * {@link begin}, synchronous while every step is: the attempt count, the envelope, the pipeline and the audit
	 * hand-off make no promise unless the store, a rule or a sink answers asynchronously.
	 */
	begin<A extends object>(toolName: string, args: A, options?: CallOptions): CallHandle<A> | Promise<CallHandle<A>> {
		const startedAt = performance.now();
		if (options !== undefined) checkKeys(options, CALL_OPTION_KEYS, 'CallOptions');
		// A remote store gets a view per call: one deadline for all of the call's store work, and with a fail-open
		// store, neutral answers once it fails (the view remembers that it did).
		const storage = needsCallView(this.#host.storage) ? new CallStorage(this.#host.storage) : this.#host.storage;
		const span = this.#host.telemetry.start(String(toolName));
		const sessionId = options?.sessionId ?? this.#host.sessionId;
		const start = startState(toolName, args, options, startedAt, Date.now(), storage, span, sessionId);
		let begun: SessionCounters | Promise<SessionCounters>;
		try {
			begun = storage.beginAttempt(start.sessionId);
		} catch (error) {
			return this.#attempted(start, NO_COUNTERS, { error });
		}
		if (!isThenable(begun)) return this.#attempted(start, begun, undefined);
		return this.#attemptedLater(start, begun);
	}

	// The asynchronous continuations live in their own methods: a closure in a method makes every call of it, even
	// the synchronous ones, allocate a context for the variables the closure captures.
	#attemptedLater<A extends object>(start: CallState<A>, begun: PromiseLike<SessionCounters>): Promise<CallHandle<A>> {
		return Promise.resolve(begun).then(
			(counters) => this.#attempted(start, counters, undefined),
			(error: unknown) => this.#attempted(start, NO_COUNTERS, { error }),
		);
	}

	/** The attempt is counted (or the store failed): build the envelope and run the pipeline. */
	#attempted<A extends object>(
		start: CallState<A>,
		counters: SessionCounters,
		storeFailure: { error: unknown } | undefined,
	): CallHandle<A> | Promise<CallHandle<A>> {
		const { toolName, args, options, sessionId } = start;
		const environment = options?.environment ?? this.#host.environment;
		let envelope: ToolEnvelope<Readonly<A>>;
		try {
			const envelopeOpts =
				options === undefined
					? this.#defaults
					: envelopeOptions(this.#host.options.tools, sessionId, environment, options);
			envelope = envelopeOf(toolName, args, envelopeOpts, counters.attempts, isoAt(start.wallStart));
		} catch (error) {
			if (!(error instanceof InvalidArgs)) throw error;
			const reason = this.#host.redaction.redactText(`${error.message}. Send the arguments as plain JSON data.`);
			const decision = hardDeny(this.#host.mode, 'invalid_input', 'envelope', reason);
			const fallback = fallbackEnvelope(toolName, sessionId, environment, counters.attempts, options);
			const pre = { decision, executions: counters.executions, guards: undefined };
			return this.#decided(start, fallback as ToolEnvelope<Readonly<A>>, args, pre, counters);
		}
		if (storeFailure !== undefined) {
			// Without the session store there are no counters to evaluate against: the store's failure is the decision.
			const decision = storageDecision(this.#host.mode, this.#host.redaction, storeFailure.error);
			return this.#decided(start, envelope, envelope.args, { decision, executions: 0, guards: undefined }, counters);
		}
		let pre: PreResult | Promise<PreResult>;
		try {
			pre = this.pipeline.pre(envelope, counters, start.storage);
		} catch (error) {
			pre = this.#storeFailed(error, counters);
		}
		if (!isThenable(pre)) return this.#evaluated(start, envelope, pre, counters);
		return this.#evaluatedLater(start, envelope, pre, counters);
	}

	#evaluatedLater<A extends object>(
		start: CallState<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		pre: Promise<PreResult>,
		counters: SessionCounters,
	): Promise<CallHandle<A>> {
		return Promise.resolve(pre).then(
			(settled) => this.#evaluated(start, envelope, settled, counters),
			(error: unknown) => this.#evaluated(start, envelope, this.#storeFailed(error, counters), counters),
		);
	}

	/** Only the session store can throw out of the pipeline (every rule fails closed): governance fails closed. */
	#storeFailed(error: unknown, counters: SessionCounters): PreResult {
		return {
			decision: storageDecision(this.#host.mode, this.#host.redaction, error),
			executions: counters.executions,
			guards: undefined,
		};
	}

	#evaluated<A extends object>(
		start: CallState<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		pre: PreResult,
		counters: SessionCounters,
	): CallHandle<A> | Promise<CallHandle<A>> {
		const { storage } = start;
		if (storage instanceof CallStorage && storage.degraded !== undefined) {
			pre = { ...pre, decision: withDegraded(pre.decision, this.#host.redaction, storage.degraded) };
		}
		return this.#decided(start, envelope, envelope.args, pre, counters);
	}

	/**
	 * Audits the decision and hands out the call. Synchronous for the common case (an allowed call with nothing to
	 * count, a sink with room, `auditFailMode: 'open'`); the rest goes through `#decidedAsync`.
	 */
	#decided<A extends object>(
		start: CallState<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		rawArgs: unknown,
		pre: PreResult,
		counters: SessionCounters,
	): CallHandle<A> | Promise<CallHandle<A>> {
		const { decision } = pre;
		const slow =
			this.closed ||
			decision.action === 'deny' ||
			decision.action === 'replay' ||
			decision.wouldDeny.length > 0 ||
			(this.#host.audit.enabled &&
				(this.#host.audit.room() !== undefined || this.#host.options.auditFailMode === 'closed'));
		if (slow) return this.#decidedAsync(start, envelope, rawArgs, pre, counters);
		const audit = this.#host.audit.enabled
			? redactCall(this.#host.redaction, envelope, rawArgs, this.#host.mode)
			: undefined;
		const now = performance.now();
		// Decided in the same turn as the envelope was made: the envelope's timestamp is the decision's.
		const context = decidedState(start, pre, counters, audit, envelope.timestamp, now - start.startedAt);
		if (audit !== undefined) this.#host.audit.emit(preEvent(this.#host.redaction, audit, decision, context));
		return this.#handOut(start, envelope, decision, context, now);
	}

	async #decidedAsync<A extends object>(
		start: CallState<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		rawArgs: unknown,
		pre: PreResult,
		counters: SessionCounters,
	): Promise<CallHandle<A>> {
		const { storage } = start;
		let { decision } = pre;
		if (this.closed) {
			const reason =
				'The Warden is closed (warden.close() was called), so nothing can audit this call; it was not run.';
			decision = hardDeny(this.#host.mode, 'audit_unavailable', 'closed', reason);
		}
		await countDecision(storage, this.guards, this.#host.redaction, envelope.sessionId, decision);
		let audit: RedactedCall | undefined;
		if (this.#host.audit.enabled && !this.closed) {
			({ decision, audit } = await auditSlowly(this.#host, start, envelope, rawArgs, pre, counters, decision));
		}
		const now = performance.now();
		const context = decidedState(start, pre, counters, audit, undefined, now - start.startedAt);
		return this.#handOut(start, envelope, decision, context, now);
	}

	/** Records the decision on the span and makes the call's handle. */
	#handOut<A extends object>(
		start: CallState<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		decision: PreDecision,
		context: CallState,
		now: number,
	): CallHandle<A> {
		const { span, startedAt } = start;
		const action = preAction(decision);
		const governanceMs = now - startedAt;
		this.#host.telemetry.decided(span, envelope, decision, action, governanceMs, context.attempts, context.executions);
		return new CallHandle<A>(envelope, decision, startedAt, context, this.#driver, context.replayed?.result);
	}

	/** What every handle calls back into (one object, no closure per call). */
	readonly #driver: CallDriver = {
		complete: (call, outcome) => this.#complete(call, outcome),
		activate: (call, fn, arg) => this.#host.telemetry.activate((call.context as CallState).span, fn, arg),
	};

	/** Completes a run: guards, postconditions and after-hooks, the outcome count, the post events, the span. */
	#complete(call: CallHandle<object>, outcome: RunOutcome): PostDecision | Promise<PostDecision> {
		const context = call.context as CallState;
		if (context.storage instanceof CallStorage) context.storage.renew();
		const post = this.pipeline.post(call.envelope as ToolEnvelope, outcome, context.guards);
		if (isThenable(post)) return this.#countedLater(call, outcome, post);
		return this.#counted(call, outcome, post);
	}

	#countedLater(call: CallHandle<object>, outcome: RunOutcome, post: Promise<PostDecision>): Promise<PostDecision> {
		return Promise.resolve(post).then((settled) => this.#counted(call, outcome, settled));
	}

	#counted(call: CallHandle<object>, outcome: RunOutcome, post: PostDecision): PostDecision | Promise<PostDecision> {
		const { envelope } = call;
		const context = call.context as CallState;
		const sideEffect = hasSideEffect(envelope);
		// A success that ends no failure streak and runs no side effect changes nothing: skip the write (on a shared
		// store, the common allowed call then costs two round trips in all).
		if (outcome.ok && !sideEffect && context.failuresBefore === 0) return this.#finished(call, outcome, post);
		let recorded: unknown;
		try {
			recorded = context.storage.recordOutcome(envelope.sessionId, outcome.ok ? 'succeeded' : 'failed', { sideEffect });
		} catch {
			// The tool already ran; the failure streak is advisory and must not turn a finished call into an error.
		}
		return isThenable(recorded)
			? this.#finishedLater(call, outcome, post, recorded)
			: this.#finished(call, outcome, post);
	}

	#finishedLater(
		call: CallHandle<object>,
		outcome: RunOutcome,
		post: PostDecision,
		recorded: PromiseLike<unknown>,
	): Promise<PostDecision> {
		const finish = () => this.#finished(call, outcome, post);
		return Promise.resolve(recorded).then(finish, finish);
	}

	#finished(call: CallHandle<object>, outcome: RunOutcome, post: PostDecision): PostDecision {
		const context = call.context as CallState;
		if (context.audit !== undefined) {
			const now = performance.now();
			// The call's start plus its measured duration: the event's time agrees with its durationMs.
			context.at = isoAt(context.wallStart + (now - call.startedAt));
			context.durationMs = now - call.startedAt;
			this.#host.audit.emit(postEvent(this.#host.redaction, context.audit, call.decision, post, outcome, context));
			if (!post.postconditionsPassed) {
				this.#host.audit.emit(warningEvent(this.#host.redaction, context.audit, call.decision, post, context));
			}
		}
		const action = post.ok ? AuditAction.CALL_EXECUTED : AuditAction.CALL_FAILED;
		this.#host.telemetry.finished(context.span, post, action, outcome.error);
		return post;
	}
}
