// The public entry point, not the core's files: the core's layout may move, its exports do not.
import { MemoryStorage, Warden, type CallOptions, type GovernedCall, type WardenOptions } from '../../index.js';
import { CliError, oneLine } from '../CliError.js';
import type { LoggedEvent } from '../input/parseEvent.js';
import type { ReplayDiff } from './ReplayDiff.js';
import { isUncertain, recordedVerdict, replayedVerdict } from './verdicts.js';

const PRE = new Set(['call_allowed', 'call_denied', 'call_would_deny', 'call_replayed', 'call_held']);
/** Pre events of calls that did not run in the log: no outcome follows them. */
const NEVER_RAN = new Set(['call_denied', 'call_replayed', 'call_held']);
/** Calls begun whose recorded outcome has not been read yet; a log cut mid-call must not grow this without bound. */
const MAX_PENDING = 100_000;

/**
 * Options the replay Warden never takes from the policy: state is always in memory (a fresh store, never the
 * production Redis), nothing is audited or traced (replay must not write to the real audit trail), and no approval
 * handler is asked (replay must not message a person; the log's own resolutions are replayed instead).
 */
const IGNORED = ['audit', 'storage', 'onAuditError', 'auditFailMode', 'tracer', 'meter', 'approvals'] as const;

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
	/** The log's approval ids → the replay's requests for the same held calls, until the log resolves them. */
	readonly #requests = new Map<string, string>();
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
			// (MemoryStorage takes no Infinity; replay drops each session at its end, so this bound is never reached.)
			this.#warden = new Warden({
				...(options as WardenOptions),
				storage: new MemoryStorage({ maxSessions: Number.MAX_SAFE_INTEGER }),
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
			this.#linkRequest(event, call);
			if (!call.allowed) return;
			if (NEVER_RAN.has(event.action)) return this.#assume(key, call);
			this.#pending.set(key, call);
			if (this.#pending.size > MAX_PENDING) {
				const [oldest, begun] = this.#pending.entries().next().value as [string, GovernedCall<object>];
				await this.#assume(oldest, begun);
			}
			return;
		}
		if (event.action === 'approval_granted' || event.action === 'approval_denied') return this.#resolve(event);
		if (event.action !== 'call_executed' && event.action !== 'call_failed') return;
		const call = this.#pending.get(key);
		if (call === undefined) return;
		this.#pending.delete(key);
		if (event.action === 'call_executed') await call.succeed(event.resultSummary ?? null);
		else await call.fail(recordedError(event));
	}

	/** A call the log held and the policy holds too: the log's later resolution of it applies to the replay's request. */
	#linkRequest(event: LoggedEvent, call: GovernedCall<object>): void {
		const replayId = call.decision.approval?.id;
		if (event.action !== 'call_held' || event.approvalId === undefined || replayId === undefined) return;
		this.#requests.set(event.approvalId, replayId);
		if (this.#requests.size > MAX_PENDING) this.#requests.delete(this.#requests.keys().next().value as string);
	}

	/**
	 * The log's approver granted or denied a request: the same answer resolves the replay's request, so the retry that
	 * ran on the grant (or was denied by it) replays as it happened. An answer the policy refuses (the approver is no
	 * longer on its list) leaves the request pending: the retry is held, a difference replay reports.
	 */
	async #resolve(event: LoggedEvent): Promise<void> {
		const id = event.approvalId === undefined ? undefined : this.#requests.get(event.approvalId);
		if (id === undefined || event.approvalId === undefined) return;
		this.#requests.delete(event.approvalId);
		const approver = event.approver ?? 'replay';
		try {
			if (event.action === 'approval_granted') await this.#warden.approvals.approve(id, { approver });
			else await this.#warden.approvals.deny(id, { approver, reason: event.reason ?? 'Denied.' });
		} catch (error) {
			const name = (error as { name?: unknown }).name;
			if (name !== 'ConfigError' && name !== 'ApprovalConflictError') throw error;
		}
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
