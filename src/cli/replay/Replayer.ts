import type { CallOptions } from '../../envelope/types.js';
import { MemoryStorage } from '../../storage/MemoryStorage.js';
import { Warden } from '../../warden/Warden.js';
import type { GovernedCall } from '../../warden/GovernedCall.js';
import type { WardenOptions } from '../../warden/WardenOptions.js';
import { CliError, oneLine } from '../CliError.js';
import type { LoggedEvent } from '../input/parseEvent.js';
import type { ReplayDiff } from './ReplayDiff.js';
import { isUncertain, recordedVerdict, replayedVerdict } from './verdicts.js';

const PRE = new Set(['call_allowed', 'call_denied', 'call_would_deny', 'call_replayed']);
/** Calls begun whose recorded outcome has not been read yet; a log cut mid-call must not grow this without bound. */
const MAX_PENDING = 100_000;

/**
 * Options the replay Warden never takes from the policy: state is always in memory (a fresh store, never the
 * production Redis), nothing is audited or traced (replay must not write to the real audit trail).
 */
const IGNORED = ['audit', 'storage', 'onAuditError', 'auditFailMode', 'tracer', 'meter'] as const;

/**
 * Feeds recorded calls to a fresh Warden built from the policy, in recorded order, without running any tool. Each
 * pre-execution event becomes `warden.begin()`; when the policy allows the call, the call's recorded outcome
 * completes it (`call_executed` → `succeed(resultSummary)`, `call_failed` → `fail(error)` with the recorded error's
 * type and message) when that event is read, so concurrent calls interleave as they did and counters and guard state
 * evolve from what really happened. A call the log never ran (it was denied or replayed then) has no recorded
 * outcome: it is completed as a success without a result and counted in `assumedOutcomes`.
 */
export class Replayer {
	readonly #warden: Warden;
	readonly #diff: ReplayDiff;
	readonly #pending = new Map<string, GovernedCall<object>>();
	/** Each session's last event (its ordinal in the log), when known: the session's state is freed after it. */
	readonly #lastEvent: Map<string, number> | undefined;
	#ordinal = 0;
	#assumed = 0;

	/**
	 * @param lastEvent each session's last event, as an ordinal among the log's call events (from a first pass): with
	 * it, a session's governance state is dropped once its last event is replayed, so memory holds the sessions in
	 * progress, not every session of the log.
	 */
	constructor(policy: WardenOptions, diff: ReplayDiff, lastEvent?: Map<string, number>) {
		this.#lastEvent = lastEvent;
		const options: Record<string, unknown> = { ...policy };
		for (const key of IGNORED) delete options[key];
		try {
			// Sessions are never forgotten mid-replay: an evicted session would come back as "lost state" denials.
			this.#warden = new Warden({
				...(options as WardenOptions),
				storage: new MemoryStorage({ maxSessions: Infinity }),
			});
		} catch (error) {
			throw new CliError(`--policy: invalid WardenOptions: ${oneLine(error)}`, { cause: error });
		}
		this.#diff = diff;
	}

	/** Calls the policy allowed that the log never ran (their outcome was assumed a success). */
	get assumedOutcomes(): number {
		return this.#assumed;
	}

	/** Replays one event (call events in log order, every one of them: ordinals count them). */
	async add(event: LoggedEvent): Promise<void> {
		const ordinal = this.#ordinal++;
		await this.#replay(event);
		if (this.#lastEvent?.get(event.sessionId) === ordinal) {
			this.#lastEvent.delete(event.sessionId);
			await this.#warden.resetSession(event.sessionId);
		}
	}

	async #replay(event: LoggedEvent): Promise<void> {
		const key = `${event.sessionId}\u0000${event.callId}`;
		if (PRE.has(event.action)) {
			const stale = this.#pending.get(key);
			// The same call id began again before its outcome was logged (a reused id, a crash): close the older call.
			if (stale !== undefined) await this.#assume(key, stale);
			const call = await this.#warden.begin(event.toolName, argsOf(event), callOptions(event));
			this.#diff.add(event, recordedVerdict(event), replayedVerdict(call.decision), isUncertain(event));
			if (!call.allowed) return;
			if (event.action === 'call_denied' || event.action === 'call_replayed') return this.#assume(key, call);
			this.#pending.set(key, call);
			if (this.#pending.size > MAX_PENDING) {
				const [oldest, begun] = this.#pending.entries().next().value as [string, GovernedCall<object>];
				await this.#assume(oldest, begun);
			}
			return;
		}
		if (event.action !== 'call_executed' && event.action !== 'call_failed') return;
		const call = this.#pending.get(key);
		if (call === undefined) return;
		this.#pending.delete(key);
		if (event.action === 'call_executed') await call.succeed(event.resultSummary ?? null);
		else await call.fail(recordedError(event));
	}

	async #assume(key: string, call: GovernedCall<object>): Promise<void> {
		this.#pending.delete(key);
		this.#assumed++;
		await call.succeed(null);
	}
}

function argsOf(event: LoggedEvent): object {
	const args = event.toolArgs;
	// A truncated event holds a preview string: the call is uncertain, and replayed with no args.
	return typeof args === 'object' && args !== null && !Array.isArray(args) ? args : {};
}

function callOptions(event: LoggedEvent): CallOptions {
	return {
		sessionId: event.sessionId,
		callId: event.callId,
		...(typeof event.parentCallId === 'string' ? { parentCallId: event.parentCallId } : {}),
		...(typeof event.environment === 'string' ? { environment: event.environment } : {}),
		...(isRecord(event.principal) ? { principal: event.principal } : {}),
		...(isRecord(event.metadata) ? { metadata: event.metadata } : {}),
	};
}

/** The recorded error as guards classify errors (by `name`; the status and code are not in the log). */
function recordedError(event: LoggedEvent): Error {
	const error = new Error(event.error?.message ?? 'the call failed (no error recorded)');
	error.name = event.error?.type ?? 'Error';
	return error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
