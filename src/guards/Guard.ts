import type { Mode } from '../contracts/Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { Usage } from '../report/sessionSpend.js';
import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';

/** What a behaviour guard answers before a call. */
export type GuardAnswer =
	| { readonly kind: 'pass' }
	| { readonly kind: 'deny'; readonly message: string; readonly metadata?: Readonly<Record<string, unknown>> }
	| { readonly kind: 'replay'; readonly message: string; readonly result: unknown };

/** What a guard sees of a call. */
export interface GuardContext {
	readonly call: ToolEnvelope;
	readonly storage: StorageBackend;
	/** `Date.now()` when the guard runs (guards never read the clock themselves, so tests can pin it). */
	readonly now: number;
	/** The Warden's redaction: a result or argument a guard keeps in the store is redacted first. */
	readonly redaction: RedactionPolicy;
}

/** How a call's run ended, as guards learn it. */
export interface GuardOutcome {
	readonly ok: boolean;
	readonly result?: unknown;
	readonly error?: unknown;
	/** The side effect may have happened although the run failed (a timeout of a write). */
	readonly sideEffectExecuted: boolean;
}

/**
 * Memoises a value for the latest call: guards derive keys (fingerprints, idempotency keys) in `pre` and need them
 * again in `release` and `post`, usually right after. Concurrent calls interleaving only cost a recomputation.
 */
export function perCall<T>(compute: (ctx: GuardContext) => T): (ctx: GuardContext) => T {
	let last: GuardContext | undefined;
	let value: T;
	return (ctx) => {
		if (ctx !== last) {
			value = compute(ctx);
			last = ctx;
		}
		return value;
	};
}

/** What a guard sees of a session when it acts outside a call (a denial, the report, usage, a reconcile). */
export interface SessionContext {
	readonly storage: StorageBackend;
	readonly sessionId: string;
	readonly redaction: RedactionPolicy;
}

/** What a guard adds to the session's run report (see `RunReport`). */
export interface GuardReport {
	/** Tools the guard quarantined for the session, and why. */
	readonly quarantined?: ReadonlyArray<{ readonly tool: string; readonly reason: string }>;
	/** Side-effecting calls the guard replayed or denied. */
	readonly sideEffectsPrevented?: number;
	/** The session's budget in USD. */
	readonly budgetUsd?: number;
}

/**
 * A behaviour guard's hooks. Every state change goes through `storage.update` (atomic per key, also on a shared
 * store), and every piece of state is bounded by the guard's window. The Warden knows guards only through these
 * hooks: a guard that acts on the session (halts it, reports, prices usage, reconciles) is one file.
 */
export interface Guard {
	/**
	 * Whether the guard watches calls of this tool at all, decided once per tool name: a guard that does nothing for a
	 * tool (a jitter guard on a tool that is not a query tool, a budget on a tool that costs nothing) is then never
	 * asked, never told the outcome and never released for its calls, so it costs those calls nothing.
	 * @default every tool (when the guard has `pre`)
	 */
	watches?(toolName: string): boolean;
	/** Decides before the call (after the preconditions, in session-contract order). A guard without `pre` is never asked. */
	pre?(ctx: GuardContext): Awaitable<GuardAnswer>;
	/** Learns how the run ended. `passed` tells whether this guard's `pre` passed (it may not have, in observe mode). */
	post?(ctx: GuardContext, outcome: GuardOutcome, passed: boolean): Awaitable<unknown>;
	/** The call this guard passed will not run (a later step denied it): undo what `pre` reserved. */
	release?(ctx: GuardContext): Awaitable<unknown>;
	/**
	 * A call of the session was denied (other than for a halted session), the `streak`-th denial in a row: answer a
	 * message to halt the session (every later call is denied with it, until `warden.resetSession`).
	 */
	onDenial?(ctx: SessionContext, streak: number): Awaitable<string | undefined>;
	/** Adds to the session's run report. `interventions` are the report's denials and replays by rule. */
	report?(ctx: SessionContext, interventions: Readonly<Record<string, number>>): Awaitable<GuardReport>;
	/** Adds real spend (`warden.recordUsage`) to the session, priced by this guard; returns the spend in micro-dollars. */
	usage?(ctx: SessionContext, usage: Usage): Awaitable<number>;
	/** Settles what this guard keeps of a call (`warden.reconcile`): it ran (`executed`, with `result`) or is forgotten. */
	reconcile?(
		ctx: SessionContext,
		call: ToolEnvelope,
		outcome: { readonly executed: boolean; readonly result?: unknown },
	): Awaitable<void>;
}

/** Options every guard accepts. */
export interface GuardOptions {
	/**
	 * `observe` records the guard's interventions as would-deny without blocking.
	 * @default the Warden's mode
	 */
	readonly mode?: Mode;
}

export const PASS: GuardAnswer = Object.freeze({ kind: 'pass' });

export const deny = (message: string, metadata?: Record<string, unknown>): GuardAnswer =>
	metadata === undefined ? { kind: 'deny', message } : { kind: 'deny', message, metadata };
