import type { Mode } from '../contracts/Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
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

/**
 * A behaviour guard's hooks. Every state change goes through `storage.update` (atomic per key, also on a shared
 * store), and every piece of state is bounded by the guard's window.
 */
export interface Guard {
	/** Decides before the call (after the preconditions, in session-contract order). */
	pre(ctx: GuardContext): Awaitable<GuardAnswer>;
	/** Learns how the run ended. `passed` tells whether this guard's `pre` passed (it may not have, in observe mode). */
	post?(ctx: GuardContext, outcome: GuardOutcome, passed: boolean): Awaitable<unknown>;
	/** The call this guard passed will not run (a later step denied it): undo what `pre` reserved. */
	release?(ctx: GuardContext): Awaitable<unknown>;
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
