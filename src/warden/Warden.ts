import { randomUUID } from 'node:crypto';
import { AuditTrail, type AuditStats } from '../audit/AuditTrail.js';
import { envelopeOf } from '../envelope/createEnvelope.js';
import type { CallOptions, ToolEnvelope } from '../envelope/types.js';
import type { PreDecision } from '../decisions/decisions.js';
import { GovernancePipeline } from '../pipeline/GovernancePipeline.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import type { ContractRule } from '../contracts/rules.js';
import { isThenable } from '../_internal/isThenable.js';
import { checkKeys } from '../_internal/validate.js';
import { SessionGuards } from '../guards/SessionGuards.js';
import type { Usage } from '../report/sessionSpend.js';
import type { RunReport } from '../report/RunReport.js';
import { ApprovalDesk } from '../approvals/ApprovalDesk.js';
import type { Approvals } from '../approvals/Approvals.js';
import { previewCall } from '../approvals/preview.js';
import { buildReport } from './buildReport.js';
import { CallTelemetry } from './CallTelemetry.js';
import { denied } from './denials.js';
import { CALL_OPTION_KEYS, envelopeOptions } from './envelopeOptions.js';
import type { CallHandle, GovernedCall } from './GovernedCall.js';
import { CallLifecycle } from './CallLifecycle.js';
import { protect, type ProtectHost } from './protect.js';
import { reconcile } from './reconcile.js';
import { recordUsage } from './recordUsage.js';
import { resolveOptions, type ResolvedOptions } from './resolveOptions.js';
import { installToolHints } from './toolHints.js';
import type { WardenOptions } from './WardenOptions.js';

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
	readonly #protectHost: ProtectHost;
	readonly #desk: ApprovalDesk;
	readonly #lifecycle: CallLifecycle;

	static {
		// Adapters learn side effects at run time (MCP annotations); like protect(), a policy entry is never replaced.
		installToolHints((warden, name, spec) => void (warden.#options.tools[name] ??= Object.freeze({ ...spec })));
	}

	constructor(options: WardenOptions = {}) {
		this.#options = resolveOptions(options);
		this.mode = this.#options.mode;
		this.environment = this.#options.environment;
		this.sessionId = this.#options.sessionId ?? randomUUID();
		this.redaction = this.#options.redaction;
		this.#storage = this.#options.storage;
		this.#contracts = [...this.#options.contracts];
		this.#audit = new AuditTrail(this.#options.sinks, this.redaction, this.#options.onAuditError);
		this.#telemetry = new CallTelemetry(this.#options.tracer, this.#options.meter, this.redaction);
		const approvalDeps = {
			store: this.#storage.approvals,
			redaction: this.redaction,
			mode: this.mode,
			emit: this.#audit.emit.bind(this.#audit),
		};
		this.#desk = new ApprovalDesk(approvalDeps, this.#options.approvals);
		const { redaction, mode, environment, sessionId } = this;
		const host = { options: this.#options, storage: this.#storage, audit: this.#audit, telemetry: this.#telemetry };
		const guards = new SessionGuards(this.#contracts);
		this.#lifecycle = new CallLifecycle(
			{ ...host, redaction, mode, environment, sessionId },
			this.#buildPipeline(),
			guards,
		);
		this.#protectHost = {
			views: new WeakMap(),
			registered: new WeakSet(),
			tools: this.#options.tools,
			addContracts: (rules) => {
				this.#contracts.push(...rules);
				this.#lifecycle.guards = new SessionGuards(this.#contracts);
				this.#lifecycle.pipeline = this.#buildPipeline();
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
		const opts = envelopeOptions(this.#options.tools, sessionId, environment, options);
		const envelope = (callIndex: number) => envelopeOf(toolName, args, opts, callIndex) as ToolEnvelope;
		return previewCall({
			pipeline: this.#lifecycle.pipeline,
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
		const begun = this.#lifecycle.begin(toolName, args, options);
		// No closure here: one would make every call allocate a context for the variables it captures.
		const call = isThenable(begun) || begun.decision.action === 'hold' ? await this.#ready(begun, options) : begun;
		if (call.replayed) return call.result as Awaited<R>;
		if (!call.allowed) throw denied(call);
		let result: Awaited<R>;
		try {
			result = await call.runTool(fn);
		} catch (error) {
			await call.fail(error);
			throw error;
		}
		const done = call.complete({ ok: true, result, sideEffectExecuted: true });
		if (isThenable(done)) await done;
		return result;
	}

	/**
	 * The handle once the store answered. A held call: without a handler, `ApprovalRequired` (resumable form); with one,
	 * its answer is recorded and the call governed again (same call id), under today's limits and rules.
	 */
	async #ready<A extends object>(
		begun: CallHandle<A> | Promise<CallHandle<A>>,
		options: CallOptions | undefined,
	): Promise<CallHandle<A>> {
		const call = await begun;
		if (call.decision.action !== 'hold') return call;
		if (!this.#desk.blocking) throw denied(call);
		await this.#desk.ask((call.decision.approval as { id: string }).id);
		const { toolName, args, callId } = call.envelope;
		return this.#lifecycle.begin(toolName, args, { ...options, callId });
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
		return this.#lifecycle.begin(toolName, args, options);
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
		this.#lifecycle.closed = true;
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
		return buildReport(this.#storage, this.redaction, this.#lifecycle.guards, sessionId);
	}

	/**
	 * Adds real spend (model tokens, API bills) to a session's cost: `costUsd` as is, token counts at the
	 * `costBudget`'s `tokenPrices`. A `costBudget` then denies calls that would cross its budget.
	 *
	 * @returns the session's spend after it, in USD
	 * @throws ConfigError for negative amounts, or token counts without `tokenPrices`
	 */
	recordUsage(usage: Usage, options: { readonly sessionId?: string } = {}): Promise<number> {
		return recordUsage(this.#storage, this.redaction, this.#lifecycle.guards, this.sessionId, usage, options);
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
		const { guards } = this.#lifecycle;
		const host = { storage: this.#storage, redaction, guards, tools: this.#options.tools, sessionId, environment };
		return reconcile(host, toolName, args, outcome, options);
	}

	#buildPipeline(): GovernancePipeline {
		const { mode, limits, hooks, storage, redaction } = this.#options;
		const rules = { contracts: this.#contracts, gate: this.#desk.gate };
		return new GovernancePipeline({ mode, limits, hooks, storage, redaction, ...rules });
	}
}
