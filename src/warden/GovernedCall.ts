import { hasSideEffect } from '../envelope/hasSideEffect.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { ToolWardenError } from '../errors/ToolWardenError.js';
import { classifyError } from '../guards/errorClass.js';
import type { PostDecision, PreDecision } from '../decisions/decisions.js';

/** Options of {@link GovernedCall.fail}. */
export interface FailOptions {
	/**
	 * The side effect may have happened although the tool failed (a timeout after the request was sent). The
	 * side-effect ledger then treats the call as ambiguous.
	 * @default true for a timeout (as `classifyError` classes it: `TimeoutError`, `AbortError`, `ETIMEDOUT`, ...) of a
	 * `write`/`irreversible` tool, else false
	 */
	readonly sideEffectExecuted?: boolean;
}

/**
 * A call begun with `warden.begin()`: the two-phase form adapters use when the framework runs the tool itself.
 * Run the tool only when `allowed`, then report exactly once with `succeed(result)` or `fail(error)`.
 *
 * @example
 * ```ts
 * const call = await warden.begin('search', { q }, { callId: toolCallId });
 * if (call.replayed) return call.result;
 * if (!call.allowed) return { error: call.decision.reason };
 * try {
 *   const result = await search(call.envelope.args);
 *   await call.succeed(result);
 *   return result;
 * } catch (error) {
 *   await call.fail(error);
 *   throw error;
 * }
 * ```
 */
export interface GovernedCall<A extends object = Record<string, unknown>> {
	readonly envelope: ToolEnvelope<Readonly<A>>;
	readonly decision: PreDecision;
	/** The tool should run: `decision.action === 'allow'` (including would-deny calls in observe mode). */
	readonly allowed: boolean;
	/** A behaviour guard answered with a recorded result; the call is already complete. */
	readonly replayed: boolean;
	/** The recorded result, when `replayed`. */
	readonly result: unknown;
	/** Reports a successful run: runs postconditions and after-hooks, audits `call_executed`. */
	succeed(result: unknown): Promise<PostDecision>;
	/** Reports a failed run: runs after-hooks, audits `call_failed`. */
	fail(error: unknown, options?: FailOptions): Promise<PostDecision>;
	/**
	 * Runs `fn` with the call's OpenTelemetry span active, so spans the tool starts nest under it. `warden.run` does
	 * this for you; adapters that run the tool themselves wrap the tool call in it.
	 */
	withSpan<R>(fn: () => R): R;
}

/** How a call's run ended, as the Warden completes it. */
export interface RunOutcome {
	readonly ok: boolean;
	readonly result?: unknown;
	readonly error?: unknown;
	readonly sideEffectExecuted: boolean;
}

/**
 * What a handle calls back into: the lifecycle that made it. One object for all calls (no closure per call).
 */
export interface CallDriver {
	/** Completes a run: guards, postconditions and after-hooks, the outcome count, the post events, the span. */
	complete(call: CallHandle<object>, outcome: RunOutcome): PostDecision | Promise<PostDecision>;
	/** Runs `fn(arg)` with the call's span active. */
	activate<T, R>(call: CallHandle<object>, fn: (arg: T) => R, arg: T): R;
}

/** The GovernedCall the Warden hands out; enforces the one-completion rule. */
export class CallHandle<A extends object> implements GovernedCall<A> {
	readonly envelope: ToolEnvelope<Readonly<A>>;
	readonly decision: PreDecision;
	readonly allowed: boolean;
	readonly replayed: boolean;
	readonly result: unknown;
	/** `performance.now()` when governance began. */
	readonly startedAt: number;
	/** Opaque per-call state of the Warden (redacted audit parts, span, counters). */
	readonly context: unknown;
	#completed = false;
	readonly #driver: CallDriver;

	constructor(
		envelope: ToolEnvelope<Readonly<A>>,
		decision: PreDecision,
		startedAt: number,
		context: unknown,
		driver: CallDriver,
		result?: unknown,
	) {
		this.envelope = envelope;
		this.decision = decision;
		this.allowed = decision.action === 'allow';
		this.replayed = decision.action === 'replay';
		this.result = result;
		this.startedAt = startedAt;
		this.context = context;
		this.#driver = driver;
	}

	withSpan<R>(fn: () => R): R {
		return this.#driver.activate(this, call, fn);
	}

	/** Runs the tool on the envelope's args with the call's span active (what `warden.run` does, with no closure). */
	runTool<R>(tool: (args: Readonly<A>) => R): R {
		return this.#driver.activate(this, tool, this.envelope.args);
	}

	succeed(result: unknown): Promise<PostDecision> {
		return settled(() => this.complete({ ok: true, result, sideEffectExecuted: true }));
	}

	fail(error: unknown, options?: FailOptions): Promise<PostDecision> {
		return settled(() => this.complete(failure(this.envelope, error, options)));
	}

	/**
	 * Completes the call: synchronous when every post-execution step is (what `Warden.run` uses, so an allowed call
	 * whose rules are all synchronous makes no promise of its own). Throws on a second completion or a call that
	 * must not run.
	 */
	complete(outcome: RunOutcome): PostDecision | Promise<PostDecision> {
		if (!this.allowed) {
			const done = this.replayed ? 'replayed' : 'denied';
			throw new ToolWardenError(
				`Cannot complete call ${this.envelope.callId} of "${this.envelope.toolName}": it was ${done}, so the tool must not run.`,
			);
		}
		if (this.#completed) {
			throw new ToolWardenError(
				`Call ${this.envelope.callId} of "${this.envelope.toolName}" is already complete: call succeed() or fail() exactly once.`,
			);
		}
		this.#completed = true;
		return this.#driver.complete(this, outcome);
	}
}

/** Calls a thunk: `withSpan` as a case of `activate`'s `fn(arg)`. */
function call<R>(fn: () => R): R {
	return fn();
}

/** How a failed run ended; a timeout of a side-effecting tool counts as possibly executed unless told otherwise. */
export function failure(envelope: ToolEnvelope, error: unknown, options?: FailOptions): RunOutcome {
	const sideEffectExecuted =
		options?.sideEffectExecuted ?? (classifyError(error) === 'timeout' && hasSideEffect(envelope));
	return { ok: false, error, sideEffectExecuted };
}

/** The public, always-asynchronous form of a completion: a throw becomes a rejection. */
function settled(complete: () => PostDecision | Promise<PostDecision>): Promise<PostDecision> {
	try {
		return Promise.resolve(complete());
	} catch (error) {
		return rejected(error);
	}
}

// eslint-disable-next-line @typescript-eslint/require-await -- turns a throw into a rejection of the same value
async function rejected(error: unknown): Promise<never> {
	throw error;
}
