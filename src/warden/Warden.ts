import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AuditTrail, type AuditStats } from '../audit/AuditTrail.js';
import type { Span } from '@opentelemetry/api';
import { AuditAction } from '../audit/AuditAction.js';
import {
	postEvent,
	preAction,
	preEvent,
	redactCall,
	warningEvent,
	type EventTiming,
	type RedactedCall,
} from '../audit/buildEvent.js';
import { createEnvelope } from '../envelope/createEnvelope.js';
import { InvalidArgs } from '../errors/InvalidArgs.js';
import type { CallOptions, ToolEnvelope } from '../envelope/types.js';
import type { PostDecision, PreDecision } from '../decisions/decisions.js';
import { GovernancePipeline, type PreResult } from '../pipeline/GovernancePipeline.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { CallStorage, needsCallView } from '../storage/CallStorage.js';
import type { SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import type { ContractRule } from '../contracts/rules.js';
import { capMessage, errorMessage, errorName } from '../_internal/text.js';
import { isThenable } from '../_internal/isThenable.js';
import { checkKeys } from '../_internal/validate.js';
import { SessionGuards } from '../guards/SessionGuards.js';
import type { Usage } from '../report/sessionSpend.js';
import type { RunReport } from '../report/RunReport.js';
import { recordWouldDeny } from '../report/wouldDenyTally.js';
import { ApprovalDesk } from '../approvals/ApprovalDesk.js';
import type { Approvals } from '../approvals/Approvals.js';
import { previewCall } from '../approvals/preview.js';
import { buildReport } from './buildReport.js';
import { CallTelemetry } from './CallTelemetry.js';
import { denied, hardDeny, storageDecision, withDegraded } from './denials.js';
import { CALL_OPTION_KEYS, envelopeOptions, fallbackEnvelope } from './envelopeOptions.js';
import { CallHandle, type GovernedCall, type RunOutcome } from './GovernedCall.js';
import { protect, type ProtectHost } from './protect.js';
import { reconcile } from './reconcile.js';
import { recordUsage } from './recordUsage.js';
import { resolveOptions, type ResolvedOptions } from './resolveOptions.js';
import { installToolHints } from './toolHints.js';
import type { WardenOptions } from './WardenOptions.js';

const NO_COUNTERS: SessionCounters = Object.freeze({
	attempts: 0,
	executions: 0,
	consecutiveFailures: 0,
	consecutiveDenials: 0,
	halted: null,
	toolExecutions: {},
});

/** What a call's lifecycle knows from its start. */
interface CallStart<A extends object> {
	readonly toolName: string;
	readonly args: A;
	readonly options: CallOptions | undefined;
	readonly startedAt: number;
	readonly storage: StorageBackend;
	readonly span: Span;
	readonly sessionId: string;
}

function timing(
	start: CallStart<object>,
	now: number,
	counters: SessionCounters,
	pre: PreResult,
	at?: string,
): EventTiming {
	return { at, durationMs: now - start.startedAt, attempts: counters.attempts, executions: pre.executions };
}

/** What the Warden keeps per call between `begin` and completion. */
interface CallContext {
	readonly executions: number;
	readonly attempts: number;
	readonly audit: RedactedCall | undefined;
	readonly span: Span;
	readonly guards: PreResult['guards'];
	/** The session's failure streak when the call began. */
	readonly failuresBefore: number;
	/** The store this call uses (a fail-open view, with such a store). */
	readonly storage: StorageBackend;
}

/**
 * The governance layer between an agent and its tools. Every call goes through the pipeline (attempt limit,
 * before-hooks, preconditions, session contracts, execution limits), runs on a frozen copy of its args when allowed,
 * then through postconditions and after-hooks; each step is audited.
 *
 * @example
 * ```ts
 * const warden = new Warden({ contracts: [new Safety()], audit: new JsonlFileSink('audit.jsonl') });
 * const tools = warden.protect(new DevTools());
 * await tools.readFile({ path: 'README.md' });                               // runs, audited
 * await warden.run('search', { q: 'refund policy' }, (args) => search(args.q)); // no class needed
 * await warden.close();                                                      // waits for the sinks to write
 * ```
 */
export class Warden {
	/** The Warden's mode: `enforce` or `observe`. */
	readonly mode: ResolvedOptions['mode'];
	/** The environment copied into envelopes and events. */
	readonly environment: string;
	/** The session calls join unless they name another. */
	readonly sessionId: string;
	/** The redaction applied to everything written out. */
	readonly redaction: RedactionPolicy;
	readonly #options: ResolvedOptions;
	readonly #storage: StorageBackend;
	readonly #audit: AuditTrail;
	readonly #telemetry: CallTelemetry;
	readonly #contracts: ContractRule[];
	/** The guards, as the Warden knows them: through their session hooks. */
	#guards: SessionGuards;
	readonly #protectHost: ProtectHost;
	readonly #desk: ApprovalDesk;
	#pipeline: GovernancePipeline;
	/** Set by close(): from then on every call is denied, as nothing could audit it. */
	#closed = false;

	static {
		// Adapters learn side effects at run time (MCP annotations); like protect(), a policy entry is never replaced.
		installToolHints((warden, name, spec) => {
			warden.#options.tools[name] ??= Object.freeze({ ...spec });
		});
	}

	constructor(options: WardenOptions = {}) {
		this.#options = resolveOptions(options);
		this.mode = this.#options.mode;
		this.environment = this.#options.environment;
		this.sessionId = this.#options.sessionId ?? randomUUID();
		this.redaction = this.#options.redaction;
		this.#storage = this.#options.storage;
		this.#contracts = [...this.#options.contracts];
		this.#guards = new SessionGuards(this.#contracts);
		this.#audit = new AuditTrail(this.#options.sinks, this.redaction, this.#options.onAuditError);
		this.#telemetry = new CallTelemetry(this.#options.tracer, this.#options.meter, this.redaction);
		const approvalDeps = {
			store: this.#storage.approvals,
			redaction: this.redaction,
			mode: this.mode,
			emit: this.#audit.emit.bind(this.#audit),
		};
		this.#desk = new ApprovalDesk(approvalDeps, this.#options.approvals);
		this.#pipeline = this.#buildPipeline();
		this.#protectHost = {
			views: new WeakMap(),
			registered: new WeakSet(),
			tools: this.#options.tools,
			addContracts: (rules) => {
				this.#contracts.push(...rules);
				this.#guards = new SessionGuards(this.#contracts);
				this.#pipeline = this.#buildPipeline();
			},
			run: (toolName, args, fn, options) => this.run(toolName, args, fn, options),
		};
	}

	/** The approval requests of held calls (API §10): list, get, approve, deny. */
	get approvals(): Approvals {
		return this.#desk.approvals;
	}

	/**
	 * The decision `begin` would make for this call now, with no side effect at all (no attempt counted, no execution
	 * reserved, no guard state changed, no approval request opened or consumed, no audit event). A held call answers
	 * `action: 'hold'` with `approval: { digest, message, id? }` (`id` when a request is already pending); an approved
	 * one `allow` (its grant is waiting). What adapters' approval callbacks ask.
	 */
	preview(toolName: string, args: object, options?: CallOptions): Promise<PreDecision> {
		if (options !== undefined) checkKeys(options, CALL_OPTION_KEYS, 'CallOptions');
		const sessionId = options?.sessionId ?? this.sessionId;
		const environment = options?.environment ?? this.environment;
		const envelope = (callIndex: number) =>
			createEnvelope(
				toolName,
				args,
				envelopeOptions(this.#options.tools, sessionId, environment, callIndex, options),
			) as ToolEnvelope;
		return previewCall({
			pipeline: this.#pipeline,
			storage: this.#storage,
			gate: this.#desk.peek,
			mode: this.mode,
			redaction: this.redaction,
			sessionId,
			envelope,
		});
	}

	/** What became of the audit events: `{ written, failed, pending }` (lines fully written, events lost, waiting). */
	get auditStats(): AuditStats {
		return this.#audit.stats;
	}

	/**
	 * Governs one call: `fn` runs on the frozen, validated copy of `args` when the pipeline allows it.
	 *
	 * @returns what `fn` returned (or the recorded result of a replayed call)
	 * @throws ToolCallDenied when the call is denied (enforce mode); `fn` never ran
	 * @throws whatever `fn` threw (the same object), after `call_failed` was audited
	 */
	async run<A extends object, R>(
		toolName: string,
		args: A,
		fn: (args: Readonly<A>) => R | Promise<R>,
		options?: CallOptions,
	): Promise<Awaited<R>> {
		if (typeof fn !== 'function')
			throw new TypeError('warden.run(toolName, args, fn): fn must be the function that runs the tool.');
		const begun = this.#begin(toolName, args, options);
		let call = isThenable(begun) ? await begun : begun;
		if (call.decision.action === 'hold') call = await this.#settleHeld(call, options);
		if (call.replayed) return call.result as Awaited<R>;
		if (!call.allowed) throw denied(call);
		let result: Awaited<R>;
		try {
			result = await call.withSpan(() => fn(call.envelope.args));
		} catch (error) {
			await call.fail(error);
			throw error;
		}
		const done = call.complete({ ok: true, result, sideEffectExecuted: true });
		if (isThenable(done)) await done;
		return result;
	}

	/**
	 * A held call: without a handler, `ApprovalRequired` (resumable form); with one, its answer is recorded and the
	 * call is governed again (same call id), so it runs on the grant, or is denied, with today's limits and rules.
	 */
	async #settleHeld<A extends object>(call: CallHandle<A>, options: CallOptions | undefined): Promise<CallHandle<A>> {
		if (!this.#desk.blocking) throw denied(call);
		await this.#desk.ask((call.decision.approval as { id: string }).id);
		return this.#begin(call.envelope.toolName, call.envelope.args, { ...options, callId: call.envelope.callId });
	}

	/**
	 * Returns a governed version of `fn`: each call goes through {@link Warden.run}.
	 *
	 * @example
	 * ```ts
	 * const send = warden.wrap('send_email', (args: { to: string; body: string }) => mailer.send(args));
	 * await send({ to: 'ann@example.com', body: 'Hi' });
	 * ```
	 */
	wrap<A extends object, R>(
		toolName: string,
		fn: (args: A) => R | Promise<R>,
		options?: CallOptions,
	): (args: A) => Promise<Awaited<R>> {
		if (typeof fn !== 'function') throw new TypeError('warden.wrap(toolName, fn): fn must be a function.');
		return (args: A) => this.run(toolName, args, fn, options);
	}

	/**
	 * A governed view of a tool class instance: each `@tool` method goes through the pipeline (and returns a promise);
	 * other members pass through, bound to the instance. Contract methods declared on the same class are registered
	 * on this Warden, as if passed in `contracts`. `options` apply to every call made through the view (a session id
	 * per conversation, a principal).
	 *
	 * Calls the instance makes to its own methods (`this.other()`) are not governed: governance applies to what the
	 * agent calls through the view.
	 *
	 * @throws ConfigError when the instance has no `@tool` methods
	 */
	protect<T extends object>(instance: T, options?: CallOptions): T {
		return protect(this.#protectHost, instance, options);
	}

	/**
	 * Begins a call (two-phase form for adapters): evaluates the pre-execution pipeline and audits the decision. Run
	 * the tool only when `allowed`, then call `succeed` or `fail` exactly once. A denied call is not thrown: inspect
	 * `decision`.
	 */
	async begin<A extends object>(toolName: string, args: A, options?: CallOptions): Promise<GovernedCall<A>> {
		return this.#begin(toolName, args, options);
	}

	/**
	 * {@link begin}, synchronous while every step is: the attempt count, the envelope, the pipeline and the audit
	 * hand-off make no promise unless the store, a rule or a sink answers asynchronously.
	 */
	#begin<A extends object>(toolName: string, args: A, options?: CallOptions): CallHandle<A> | Promise<CallHandle<A>> {
		const startedAt = performance.now();
		if (options !== undefined) checkKeys(options, CALL_OPTION_KEYS, 'CallOptions');
		// A remote store gets a view per call: one deadline for all of the call's store work, and with a fail-open
		// store, neutral answers once it fails (the view remembers that it did).
		const storage = needsCallView(this.#storage) ? new CallStorage(this.#storage) : this.#storage;
		const start: CallStart<A> = {
			toolName,
			args,
			options,
			startedAt,
			storage,
			span: this.#telemetry.start(String(toolName)),
			sessionId: options?.sessionId ?? this.sessionId,
		};
		let begun: SessionCounters | Promise<SessionCounters>;
		try {
			begun = storage.beginAttempt(start.sessionId);
		} catch (error) {
			return this.#attempted(start, NO_COUNTERS, { error });
		}
		if (!isThenable(begun)) return this.#attempted(start, begun, undefined);
		return Promise.resolve(begun).then(
			(counters) => this.#attempted(start, counters, undefined),
			(error: unknown) => this.#attempted(start, NO_COUNTERS, { error }),
		);
	}

	/** The attempt is counted (or the store failed): build the envelope and run the pipeline. */
	#attempted<A extends object>(
		start: CallStart<A>,
		counters: SessionCounters,
		storeFailure: { error: unknown } | undefined,
	): CallHandle<A> | Promise<CallHandle<A>> {
		const { toolName, args, options, sessionId } = start;
		const environment = options?.environment ?? this.environment;
		let envelope: ToolEnvelope<Readonly<A>>;
		try {
			const envelopeOpts = envelopeOptions(this.#options.tools, sessionId, environment, counters.attempts, options);
			envelope = createEnvelope(toolName, args, envelopeOpts);
		} catch (error) {
			if (!(error instanceof InvalidArgs)) throw error;
			const reason = this.redaction.redactText(`${error.message}. Send the arguments as plain JSON data.`);
			const decision = hardDeny(this.mode, 'invalid_input', 'envelope', reason);
			const fallback = fallbackEnvelope(toolName, sessionId, environment, counters.attempts, options);
			const pre = { decision, executions: counters.executions, guards: undefined };
			return this.#decided(start, fallback as ToolEnvelope<Readonly<A>>, args, pre, counters);
		}
		if (storeFailure !== undefined) {
			// Without the session store there are no counters to evaluate against: the store's failure is the decision.
			const decision = storageDecision(this.mode, this.redaction, storeFailure.error);
			return this.#decided(start, envelope, envelope.args, { decision, executions: 0, guards: undefined }, counters);
		}
		let pre: PreResult | Promise<PreResult>;
		try {
			pre = this.#pipeline.pre(envelope, counters, start.storage);
		} catch (error) {
			pre = this.#storeFailed(error, counters);
		}
		if (!isThenable(pre)) return this.#evaluated(start, envelope, pre, counters);
		return Promise.resolve(pre).then(
			(settled) => this.#evaluated(start, envelope, settled, counters),
			(error: unknown) => this.#evaluated(start, envelope, this.#storeFailed(error, counters), counters),
		);
	}

	/** Only the session store can throw out of the pipeline (every rule fails closed): governance fails closed. */
	#storeFailed(error: unknown, counters: SessionCounters): PreResult {
		return {
			decision: storageDecision(this.mode, this.redaction, error),
			executions: counters.executions,
			guards: undefined,
		};
	}

	#evaluated<A extends object>(
		start: CallStart<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		pre: PreResult,
		counters: SessionCounters,
	): CallHandle<A> | Promise<CallHandle<A>> {
		const { storage } = start;
		if (storage instanceof CallStorage && storage.degraded !== undefined) {
			pre = { ...pre, decision: withDegraded(pre.decision, this.redaction, storage.degraded) };
		}
		return this.#decided(start, envelope, envelope.args, pre, counters);
	}

	/**
	 * Writes out what the audit sinks buffer.
	 * @throws ToolWardenError saying how many events were lost and why, when any was since the last flush
	 */
	flush(): Promise<void> {
		return this.#audit.flush();
	}

	/**
	 * Flushes and closes the audit sinks; every later call is denied (source `audit_unavailable`). The storage is the
	 * caller's to close.
	 * @throws ToolWardenError saying how many events were lost and why, when any was since the last flush
	 */
	close(): Promise<void> {
		this.#closed = true;
		return this.#audit.close();
	}

	/** Forgets a session's counters, halt and guard state (a side-effect ledger with a custom scope keeps its own). */
	async resetSession(sessionId: string = this.sessionId): Promise<void> {
		await this.#storage.resetSession(sessionId);
	}

	/**
	 * The session's run report: calls, executions, denials, replays, interventions by rule, quarantined tools,
	 * side effects executed and prevented, cost spent against the budget. See `formatReport` for text.
	 */
	report(sessionId: string = this.sessionId): Promise<RunReport> {
		return buildReport(this.#storage, this.redaction, this.#guards, sessionId);
	}

	/**
	 * Adds real spend (model tokens, API bills) to a session's cost: `costUsd` as is, token counts at the
	 * `costBudget`'s `tokenPrices`. A `costBudget` then denies calls that would cross its budget.
	 *
	 * @returns the session's spend after it, in USD
	 * @throws ConfigError for negative amounts, or token counts without `tokenPrices`
	 */
	recordUsage(usage: Usage, options: { readonly sessionId?: string } = {}): Promise<number> {
		return recordUsage(this.#storage, this.redaction, this.#guards, this.sessionId, usage, options);
	}

	/**
	 * Settles a side-effect ledger entry that is ambiguous (its run timed out) or that you want to forget: with
	 * `executed: true` the call counts as done (later identical calls replay `result`), with `executed: false` it is
	 * forgotten (the next identical call runs).
	 */
	reconcile(
		toolName: string,
		args: object,
		outcome: { readonly executed: boolean; readonly result?: unknown },
		options?: CallOptions,
	): Promise<void> {
		const { sessionId, environment, redaction } = this;
		return reconcile(
			{ storage: this.#storage, redaction, guards: this.#guards, tools: this.#options.tools, sessionId, environment },
			toolName,
			args,
			outcome,
			options,
		);
	}

	/**
	 * Audits the decision and hands out the call. Synchronous for the common case (an allowed call with nothing to
	 * count, a sink with room, `auditFailMode: 'open'`); the rest goes through {@link #decidedAsync}.
	 */
	#decided<A extends object>(
		start: CallStart<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		rawArgs: unknown,
		pre: PreResult,
		counters: SessionCounters,
	): CallHandle<A> | Promise<CallHandle<A>> {
		const { decision } = pre;
		const slow =
			this.#closed ||
			decision.action === 'deny' ||
			decision.action === 'replay' ||
			decision.wouldDeny.length > 0 ||
			(this.#audit.enabled && (this.#audit.room() !== undefined || this.#options.auditFailMode === 'closed'));
		if (slow) return this.#decidedAsync(start, envelope, rawArgs, pre, counters);
		const audit = this.#audit.enabled ? redactCall(this.redaction, envelope, rawArgs, this.mode) : undefined;
		const now = performance.now();
		if (audit !== undefined) {
			// Decided in the same turn as the envelope was made: the envelope's timestamp is the decision's.
			this.#audit.emit(
				preEvent(this.redaction, audit, decision, timing(start, now, counters, pre, envelope.timestamp)),
			);
		}
		return this.#handOut(start, envelope, pre, counters, decision, audit, now);
	}

	async #decidedAsync<A extends object>(
		start: CallStart<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		rawArgs: unknown,
		pre: PreResult,
		counters: SessionCounters,
	): Promise<CallHandle<A>> {
		const { storage } = start;
		let { decision } = pre;
		if (this.#closed) {
			const reason =
				'The Warden is closed (warden.close() was called), so nothing can audit this call; it was not run.';
			decision = hardDeny(this.mode, 'audit_unavailable', 'closed', reason);
		}
		const intervened = decision.action === 'deny' || decision.action === 'replay';
		if (intervened || decision.wouldDeny.length > 0) {
			// Counting must not hold the call past its bound (the store may be why it was denied).
			const view = storage instanceof CallStorage ? storage : undefined;
			const store = view?.store ?? storage;
			const counted = (async () => {
				if (intervened) await this.#recordIntervention(store, envelope.sessionId, decision);
				if (decision.wouldDeny.length > 0) await this.#recordWouldDeny(store, envelope.sessionId, decision);
			})();
			await (view === undefined ? counted : view.settle(counted));
		}
		let audit: RedactedCall | undefined;
		if (this.#audit.enabled && !this.#closed) {
			// Backpressure: while a sink's buffer is full, the call waits for it to drain (awaiting I/O, so even a
			// loop of tools that never yield lets the writes happen).
			for (let wait = this.#audit.room(); wait !== undefined; wait = this.#audit.room()) await wait;
			audit = redactCall(this.redaction, envelope, rawArgs, this.mode);
			const event = preEvent(this.redaction, audit, decision, timing(start, performance.now(), counters, pre));
			if (this.#options.auditFailMode === 'closed' && decision.action === 'allow') {
				try {
					await this.#audit.record(event);
				} catch (error) {
					// Regulated mode: a call that cannot be recorded does not run.
					const why = `${errorName(error)}: ${errorMessage(error)}`;
					const reason = `The audit trail could not record this call (${why}), so it was not run. Retry later or report the outage to the user.`;
					decision = hardDeny(
						this.mode,
						'audit_unavailable',
						'auditFailMode',
						capMessage(this.redaction.redactText(reason)),
					);
					this.#audit.emit(preEvent(this.redaction, audit, decision, timing(start, performance.now(), counters, pre)));
				}
			} else {
				this.#audit.emit(event);
			}
		}
		return this.#handOut(start, envelope, pre, counters, decision, audit, performance.now());
	}

	/** Records the decision on the span and makes the call's handle. */
	#handOut<A extends object>(
		start: CallStart<A>,
		envelope: ToolEnvelope<Readonly<A>>,
		pre: PreResult,
		counters: SessionCounters,
		decision: PreDecision,
		audit: RedactedCall | undefined,
		now: number,
	): CallHandle<A> {
		const { span, storage, startedAt } = start;
		const { executions } = pre;
		const action = preAction(decision);
		this.#telemetry.decided(span, envelope, decision, action, now - startedAt, counters.attempts, executions);
		const context: CallContext = {
			executions,
			attempts: counters.attempts,
			failuresBefore: counters.consecutiveFailures,
			audit,
			span,
			guards: pre.guards,
			storage,
		};
		const activate = <R>(fn: () => R): R => this.#telemetry.activate(span, fn);
		const result = pre.replayed === undefined ? {} : { result: pre.replayed.result };
		return new CallHandle<A>({ envelope, decision, startedAt, context, activate, ...result }, this.#complete);
	}

	/** Counts a denial or replay for the report; a guard may halt the session after it (`Guard.onDenial`, API §7). */
	async #recordIntervention(storage: StorageBackend, sessionId: string, decision: PreDecision): Promise<void> {
		try {
			const info = decision.rule === undefined ? undefined : { rule: decision.rule };
			let streak = storage.recordOutcome(sessionId, decision.action === 'replay' ? 'replayed' : 'denied', info);
			if (isThenable(streak)) streak = await streak;
			if (decision.action === 'deny' && this.#guards.watchDenials && decision.source !== 'session_halted') {
				const halt = await this.#guards.onDenial({ storage, sessionId, redaction: this.redaction }, streak);
				if (halt !== undefined) {
					const halted = storage.haltSession(sessionId, halt.message);
					if (isThenable(halted)) await halted;
					const counted = storage.recordOutcome(sessionId, 'denied', { rule: halt.rule });
					if (isThenable(counted)) await counted;
				}
			}
		} catch {
			// The call is not run either way; a count the store missed only makes the report less complete.
		}
	}

	/** Counts a call's would-denies for the report (observe mode's answer to "what would it have stopped?"). */
	async #recordWouldDeny(storage: StorageBackend, sessionId: string, decision: PreDecision): Promise<void> {
		try {
			const recorded = recordWouldDeny(storage, sessionId, decision.wouldDeny);
			if (isThenable(recorded)) await recorded;
		} catch {
			// Like an intervention count: a count the store missed only makes the report less complete.
		}
	}

	/** Completes a run: guards, postconditions and after-hooks, the outcome count, the post events, the span. */
	readonly #complete = (call: CallHandle<object>, outcome: RunOutcome): PostDecision | Promise<PostDecision> => {
		const context = call.context as CallContext;
		if (context.storage instanceof CallStorage) context.storage.renew();
		const hookOutcome = outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.error };
		const envelope = call.envelope as ToolEnvelope;
		const post = this.#pipeline.post(envelope, hookOutcome, context.guards, outcome.sideEffectExecuted);
		if (isThenable(post)) return Promise.resolve(post).then((settled) => this.#counted(call, outcome, settled));
		return this.#counted(call, outcome, post);
	};

	#counted(call: CallHandle<object>, outcome: RunOutcome, post: PostDecision): PostDecision | Promise<PostDecision> {
		const { envelope } = call;
		const context = call.context as CallContext;
		const sideEffect = envelope.sideEffect === 'write' || envelope.sideEffect === 'irreversible';
		// A success that ends no failure streak and runs no side effect changes nothing: skip the write (on a shared
		// store, the common allowed call then costs two round trips in all).
		if (outcome.ok && !sideEffect && context.failuresBefore === 0) return this.#finished(call, outcome, post);
		let recorded: unknown;
		try {
			recorded = context.storage.recordOutcome(envelope.sessionId, outcome.ok ? 'succeeded' : 'failed', { sideEffect });
		} catch {
			// The tool already ran; the failure streak is advisory and must not turn a finished call into an error.
		}
		if (!isThenable(recorded)) return this.#finished(call, outcome, post);
		const finish = () => this.#finished(call, outcome, post);
		return Promise.resolve(recorded).then(finish, finish);
	}

	#finished(call: CallHandle<object>, outcome: RunOutcome, post: PostDecision): PostDecision {
		const context = call.context as CallContext;
		if (context.audit !== undefined) {
			const { attempts, executions } = context;
			const at = { durationMs: performance.now() - call.startedAt, attempts, executions };
			this.#audit.emit(postEvent(this.redaction, context.audit, call.decision, post, outcome, at));
			if (!post.postconditionsPassed) {
				this.#audit.emit(warningEvent(this.redaction, context.audit, call.decision, post, at));
			}
		}
		const action = post.ok ? AuditAction.CALL_EXECUTED : AuditAction.CALL_FAILED;
		this.#telemetry.finished(context.span, post, action, outcome.error);
		return post;
	}

	#buildPipeline(): GovernancePipeline {
		const { mode, limits, hooks, storage, redaction } = this.#options;
		return new GovernancePipeline({
			mode,
			limits,
			hooks,
			storage,
			redaction,
			contracts: this.#contracts,
			gate: this.#desk.gate,
		});
	}
}
