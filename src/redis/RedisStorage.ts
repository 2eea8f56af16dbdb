import type { ApprovalStore } from '../storage/ApprovalStore.js';
import { SessionStateLostError } from '../errors/SessionStateLostError.js';
import { StorageUnavailableError } from '../errors/StorageUnavailableError.js';
import { keyedFingerprint, type Fingerprint } from '../storage/fingerprintKey.js';
import type {
	CallOutcome,
	ExecutionLimits,
	KeyBound,
	OutcomeInfo,
	Reservation,
	SessionCounters,
	SessionTotals,
	StorageBackend,
	Update,
} from '../storage/StorageBackend.js';
import { decodeCounters, decodeState, limitArg, toJson } from './decode.js';
import { RedisConnection } from './RedisConnection.js';
import { openClient, resolveRedisOptions, type RedisStorageOptions } from './RedisStorageOptions.js';
import { BEGIN, COMPARE_AND_SET, HALT, OUTCOME, READ, RESERVE, RESET, TOTALS } from './scripts.js';
import { SessionEpochs } from './SessionEpochs.js';
import { RedisApprovalStore } from './RedisApprovalStore.js';

/** Guard-value compare-and-set retries before an update gives up (contention on one key). */
const MAX_CAS_ATTEMPTS = 50;

/** A script's answer once the session's integrity was checked: its epoch, then the operation's own reply. */
type Reply = readonly [0, string, ...unknown[]];

/**
 * Session state in Redis, shared by every process that uses the same Redis and key prefix: attempt counts, execution
 * reservations against `maxToolCalls`/`maxCallsPerTool` and every behaviour-guard transition are atomic across
 * processes (Lua scripts; guard values by compare-and-set). An allowed call costs two round trips in the common case.
 *
 * Lost state is never silent: each session carries an epoch, and every script checks that the session's state is the
 * one the process saw (see `docs/redis.md`). Keys hold keyed fingerprints of arguments, never their text.
 *
 * Built on ioredis (optional peer dependency): per-command timeouts, no offline queue (a disconnected store fails fast
 * instead of queueing), auto-pipelining of concurrent calls, and reconnection with backoff.
 *
 * @example
 * ```ts
 * import { RedisStorage } from 'toolwarden/redis';
 * const fingerprintKey = process.env.TOOLWARDEN_FINGERPRINT_KEY; // the same secret in every worker
 * if (fingerprintKey === undefined) throw new Error('Set TOOLWARDEN_FINGERPRINT_KEY.');
 * const storage = new RedisStorage({
 *   url: process.env.REDIS_URL ?? 'redis://localhost:6379',
 *   keyPrefix: 'agents:prod:',
 *   fingerprintKey,
 * });
 * const warden = new Warden({ storage, limits: { maxToolCalls: 100 } });
 * // ...
 * await storage.close();
 * ```
 */
export class RedisStorage implements StorageBackend {
	readonly failMode: 'open' | 'closed';
	readonly keyPrefix: string;
	readonly sessionTtlMs: number;
	readonly timeoutMs: number;
	/** Approval requests (API §10), shared by every process using this Redis and key prefix. */
	readonly approvals: ApprovalStore;
	readonly #connection: RedisConnection;
	readonly #owned: boolean;
	readonly #epochs: SessionEpochs;
	readonly #fingerprint: Fingerprint;
	/** The tail of the update chain of each key being updated from this process. */
	readonly #serial = new Map<string, Promise<void>>();

	constructor(options: RedisStorageOptions = {}) {
		const o = resolveRedisOptions(options);
		this.keyPrefix = o.keyPrefix;
		this.sessionTtlMs = o.sessionTtlMs;
		this.timeoutMs = o.timeoutMs;
		this.failMode = o.failMode;
		this.#owned = o.client === undefined;
		this.#connection = new RedisConnection(o.client ?? openClient(o.url, o.timeoutMs), o.timeoutMs);
		this.#epochs = new SessionEpochs(o.sessionTtlMs);
		this.#fingerprint = keyedFingerprint(o.fingerprintKey);
		this.approvals = new RedisApprovalStore(this.#connection, this.keyPrefix);
	}

	fingerprint(text: string): string {
		return this.#fingerprint(text);
	}

	async beginAttempt(sessionId: string): Promise<SessionCounters> {
		const [, , state] = await this.#script(BEGIN, sessionId, true);
		return decodeCounters(state as string[]);
	}

	async reserveExecution(
		sessionId: string,
		toolName: string,
		limits: ExecutionLimits,
		force: boolean,
	): Promise<Reservation> {
		const args = [toolName, limitArg(limits.maxToolCalls), limitArg(limits.maxForTool), force ? 1 : 0];
		const [, , ok, limit, executions] = (await this.#script(RESERVE, sessionId, true, args)) as [
			0,
			string,
			number,
			string,
			number,
		];
		if (ok === 1) return { ok: true, executions };
		return { ok: false, limit: limit as 'maxToolCalls' | 'maxCallsPerTool', executions };
	}

	async recordOutcome(sessionId: string, outcome: CallOutcome, info?: OutcomeInfo): Promise<number> {
		const [, , streak] = await this.#script(OUTCOME, sessionId, true, [
			outcome,
			info?.rule ?? '',
			info?.sideEffect === true ? 1 : 0,
		]);
		return streak as number;
	}

	async haltSession(sessionId: string, reason: string, rule?: string): Promise<void> {
		await this.#script(HALT, sessionId, true, [reason, rule ?? '']);
	}

	/** Forgets the session; processes that saw it follow the reset (it is not taken for lost state). */
	async resetSession(sessionId: string): Promise<void> {
		await this.#script(RESET, sessionId, true);
	}

	async totals(sessionId: string): Promise<SessionTotals> {
		const [, , state] = await this.#script(TOTALS, sessionId, false);
		return decodeState(state as string[]);
	}

	/** Every key is found by its name here: the `bound` hint of `StorageBackend.read` is not needed. */
	async read<T>(namespace: string, key: string): Promise<T | undefined> {
		const [, , raw] = await this.#script(READ, namespace, false, [key]);
		return typeof raw === 'string' ? (JSON.parse(raw) as T) : undefined;
	}

	/**
	 * Optimistic and atomic: read, apply `fn`, compare-and-set; on a concurrent change, retry from the new value.
	 * Updates of one key from this process run one after another, so compare-and-set only ever competes with other
	 * processes (many concurrent calls of one session would otherwise retry each other into the ground).
	 */
	update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): Promise<R> {
		const serialKey = `${namespace}\u0000${key}`;
		const previous = this.#serial.get(serialKey);
		const run = () => this.#update(namespace, key, fn, bound);
		const result = previous === undefined ? run() : previous.then(run, run);
		const tail = result.then(
			() => undefined,
			() => undefined,
		);
		this.#serial.set(serialKey, tail);
		void tail.then(() => {
			if (this.#serial.get(serialKey) === tail) this.#serial.delete(serialKey);
		});
		return result;
	}

	async #update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): Promise<R> {
		let [, , raw] = (await this.#script(READ, namespace, false, [key])) as [0, string, string | false | null];
		for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
			const text = typeof raw === 'string' ? raw : null;
			const current = text === null ? undefined : (JSON.parse(text) as T);
			const { value, result } = fn(current);
			if (value === current) return result;
			const next = value === undefined ? null : toJson(value);
			if (next === text) return result;
			const args = [
				key,
				text === null ? 0 : 1,
				text ?? '',
				next === null ? 0 : 1,
				next ?? '',
				bound?.group ?? '',
				bound === undefined ? -1 : Math.max(1, bound.max),
			];
			const [, , written, now] = (await this.#script(COMPARE_AND_SET, namespace, true, args)) as [
				0,
				string,
				number,
				string | false | null,
			];
			if (written === 1) return result;
			raw = now;
			// Another process won the race: back off a little, with jitter, before retrying from its value.
			if (attempt > 2) await sleep(Math.random() * Math.min(2 ** attempt, 50));
		}
		throw new StorageUnavailableError(
			`Redis: the value ${key} kept changing under ${MAX_CAS_ATTEMPTS} concurrent updates; giving up.`,
		);
	}

	/** Closes the connection RedisStorage opened (a client you passed in is yours to close). */
	async close(): Promise<void> {
		if (!this.#owned) return;
		try {
			await this.#connection.client.quit();
		} catch {
			this.#connection.client.disconnect();
		}
	}

	/**
	 * Runs one of the session scripts with the integrity prelude's arguments, and turns its verdict on the session's
	 * state into an answer: intact (the process remembers the epoch when it wrote), or a SessionStateLostError.
	 */
	async #script(
		script: string,
		namespace: string,
		writes: boolean,
		args: readonly (string | number)[] = [],
	): Promise<Reply> {
		const base = `${this.keyPrefix}{${namespace}}:`;
		const now = Date.now();
		const expected = this.#epochs.expected(namespace, now);
		const open = this.failMode === 'open' ? 1 : 0;
		const reply = (await this.#connection.eval(
			script,
			[`${base}s`, `${base}v`],
			[expected, this.#epochs.fresh(), this.sessionTtlMs, open, ...args],
		)) as [number, string, ...unknown[]];
		const [status, detail] = reply;
		if (status === 0) {
			if (writes) this.#epochs.wrote(namespace, detail, now);
			return reply as unknown as Reply;
		}
		// Open mode: the session started over under a new epoch; this operation still reports the loss (it is audited).
		if (status === 2) this.#epochs.wrote(namespace, reply[2] as string, now);
		throw new SessionStateLostError(namespace, detail);
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
