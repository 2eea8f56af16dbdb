import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConfigError } from '../errors/ConfigError.js';
import { StorageUnavailableError } from '../errors/StorageUnavailableError.js';
import type { CallOutcome, ExecutionLimits, KeyBound, OutcomeInfo, Reservation, SessionCounters, SessionTotals, StorageBackend, Update } from '../storage/StorageBackend.js';
import { checkKeys, checkLimit, checkOneOf } from '../_internal/validate.js';
import { BEGIN, COMPARE_AND_SET, OUTCOME, RESERVE } from './scripts.js';
import { RedisApprovalStore } from './RedisApprovalStore.js';

/** Options of {@link RedisStorage}. Give `url` (it connects by itself) or `client` (already connected). */
export interface RedisStorageOptions {
	/**
	 * A Redis URL, e.g. `redis://localhost:6379/0`. RedisStorage opens (and on `close()` closes) its own connection.
	 * @default 'redis://127.0.0.1:6379' when no client is given
	 */
	readonly url?: string;
	/** An ioredis client you manage (RedisStorage does not close it). */
	readonly client?: Redis;
	/**
	 * Prefix of every key, so several apps or environments can share one Redis.
	 * @default 'toolwarden:'
	 */
	readonly keyPrefix?: string;
	/**
	 * Idle sessions expire after this long (every write refreshes it).
	 * @default 86_400_000 (24 h)
	 */
	readonly sessionTtlMs?: number;
	/**
	 * When Redis is unreachable or slow: `closed` denies calls (source `storage_unavailable`), `open` lets them go on
	 * without limits and guards, audited as a would-deny.
	 * @default 'closed'
	 */
	readonly failMode?: 'open' | 'closed';
	/**
	 * How long one operation may take before Redis counts as unavailable: a call never hangs on the store.
	 * @default 1000
	 */
	readonly timeoutMs?: number;
}

/** Guard-value compare-and-set retries before an update gives up (contention on one key). */
const MAX_CAS_ATTEMPTS = 50;

/**
 * Session state in Redis, shared by every process that uses the same Redis and key prefix: attempt counts, execution
 * reservations against `maxToolCalls`/`maxCallsPerTool` and every behaviour-guard transition are atomic across
 * processes (Lua scripts; guard values by compare-and-set). An allowed call costs two round trips in the common case.
 *
 * Built on ioredis (optional peer dependency): per-command timeouts, no offline queue (a disconnected store fails fast
 * instead of queueing), auto-pipelining of concurrent calls, and reconnection with backoff.
 *
 * @example
 * ```ts
 * import { RedisStorage } from 'toolwarden/redis';
 * const storage = new RedisStorage({ url: process.env.REDIS_URL, keyPrefix: 'agents:prod:' });
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
	readonly approvals: RedisApprovalStore;
	readonly #client: Redis;
	readonly #owned: boolean;
	readonly #sha = new Map<string, string>();
	/** The tail of the update chain of each key being updated from this process. */
	readonly #serial = new Map<string, Promise<void>>();
	#lastError: Error | undefined;

	constructor(options: RedisStorageOptions = {}) {
		checkKeys(options, ['url', 'client', 'keyPrefix', 'sessionTtlMs', 'failMode', 'timeoutMs'], 'RedisStorageOptions');
		if (options.url !== undefined && options.client !== undefined) throw new ConfigError('RedisStorageOptions: give url or client, not both.');
		if (options.url !== undefined && (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))) throw new ConfigError('RedisStorageOptions.url must be a redis:// or rediss:// URL.');
		if (options.client !== undefined && typeof (options.client as Partial<Redis>).evalsha !== 'function') throw new ConfigError('RedisStorageOptions.client must be an ioredis client.');
		this.keyPrefix = options.keyPrefix ?? 'toolwarden:';
		if (typeof this.keyPrefix !== 'string') throw new ConfigError('RedisStorageOptions.keyPrefix must be a string.');
		this.sessionTtlMs = checkLimit(options.sessionTtlMs, 'RedisStorageOptions.sessionTtlMs', 86_400_000);
		this.timeoutMs = checkLimit(options.timeoutMs, 'RedisStorageOptions.timeoutMs', 1000);
		if (this.sessionTtlMs < 1 || this.sessionTtlMs === Infinity || this.timeoutMs < 1 || this.timeoutMs === Infinity) throw new ConfigError('RedisStorageOptions.sessionTtlMs and timeoutMs must be positive integers.');
		this.failMode = options.failMode === undefined ? 'closed' : checkOneOf(options.failMode, ['open', 'closed'] as const, 'RedisStorageOptions.failMode');
		if (options.client !== undefined) {
			this.#client = options.client;
			this.#owned = false;
		} else {
			this.#client = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
				commandTimeout: this.timeoutMs,
				connectTimeout: Math.max(this.timeoutMs, 1000),
				enableOfflineQueue: false,
				enableAutoPipelining: true,
				maxRetriesPerRequest: 0,
				retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
			});
			this.#owned = true;
		}
		this.approvals = new RedisApprovalStore({ client: this.#client, eval: (...a) => this.#eval(...a), run: (op) => this.#run(op) }, this.keyPrefix);
		// ioredis emits connection errors as events: keep the latest for error messages, never crash the process.
		this.#client.on('error', (error: Error) => {
			this.#lastError = error;
		});
	}

	async beginAttempt(sessionId: string): Promise<SessionCounters> {
		const k = this.#keys(sessionId);
		const [s, t] = (await this.#eval(BEGIN, [k.counters, k.tools], [this.sessionTtlMs])) as [string[], string[]];
		return counters(pairs(s), pairs(t));
	}

	async reserveExecution(sessionId: string, toolName: string, limits: ExecutionLimits, force: boolean): Promise<Reservation> {
		const k = this.#keys(sessionId);
		const [ok, limit, executions] = (await this.#eval(RESERVE, [k.counters, k.tools], [toolName, limitArg(limits.maxToolCalls), limitArg(limits.maxForTool), force ? 1 : 0, this.sessionTtlMs])) as [number, string, number];
		if (ok === 1) return { ok: true, executions };
		return { ok: false, limit: limit as 'maxToolCalls' | 'maxCallsPerTool', executions };
	}

	async recordOutcome(sessionId: string, outcome: CallOutcome, info?: OutcomeInfo): Promise<number> {
		const k = this.#keys(sessionId);
		return (await this.#eval(OUTCOME, [k.counters, k.interventions], [outcome, info?.rule ?? '', info?.sideEffect === true ? 1 : 0, this.sessionTtlMs])) as number;
	}

	async haltSession(sessionId: string, reason: string): Promise<void> {
		const k = this.#keys(sessionId);
		await this.#run(() => this.#client.multi().hset(k.counters, 'halted', reason).pexpire(k.counters, this.sessionTtlMs).exec());
	}

	async resetSession(sessionId: string): Promise<void> {
		const pattern = `${this.#keys(sessionId).base}*`;
		let cursor = '0';
		do {
			const [next, keys] = await this.#run(() => this.#client.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
			if (keys.length > 0) await this.#run(() => this.#client.del(...keys));
			cursor = next;
		} while (cursor !== '0');
	}

	async totals(sessionId: string): Promise<SessionTotals> {
		const k = this.#keys(sessionId);
		const results = await this.#run(() => this.#client.multi().hgetall(k.counters).hgetall(k.tools).hgetall(k.interventions).exec());
		const [s, t, i] = (results ?? []).map(([error, value]) => {
			if (error !== null) throw error;
			return value as Record<string, string>;
		}) as [Record<string, string>, Record<string, string>, Record<string, string>];
		const c = counters(s, t);
		const num = (name: string) => Number(s[name] ?? 0);
		return { ...c, failed: num('failed'), denied: num('denied'), replayed: num('replayed'), sideEffectsExecuted: num('sideEffectsExecuted'), interventions: numbers(i) };
	}

	async read<T>(namespace: string, key: string): Promise<T | undefined> {
		const raw = await this.#run(() => this.#client.get(this.#keys(namespace).value(key)));
		return raw === null ? undefined : (JSON.parse(raw) as T);
	}

	/**
	 * Optimistic and atomic: read, apply `fn`, compare-and-set; on a concurrent change, retry from the new value.
	 * Updates of one key from this process run one after another, so compare-and-set only ever competes with other
	 * processes (many concurrent calls of one session would otherwise retry each other into the ground).
	 */
	update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): Promise<R> {
		const valueKey = this.#keys(namespace).value(key);
		const previous = this.#serial.get(valueKey);
		const run = () => this.#update(namespace, valueKey, key, fn, bound);
		const result = previous === undefined ? run() : previous.then(run, run);
		const tail = result.then(
			() => undefined,
			() => undefined,
		);
		this.#serial.set(valueKey, tail);
		void tail.then(() => {
			if (this.#serial.get(valueKey) === tail) this.#serial.delete(valueKey);
		});
		return result;
	}

	async #update<T, R>(namespace: string, valueKey: string, key: string, fn: Update<T, R>, bound?: KeyBound): Promise<R> {
		const k = this.#keys(namespace);
		let raw: string | null = await this.#run(() => this.#client.get(valueKey));
		for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
			const current = raw === null ? undefined : (JSON.parse(raw) as T);
			const { value, result } = fn(current);
			if (value === current) return result;
			const next = value === undefined ? null : toJson(value);
			if (next === raw) return result;
			const groupKey = bound === undefined ? `${k.base}g:` : k.group(bound.group);
			const answer = (await this.#eval(COMPARE_AND_SET, [valueKey, groupKey, `${groupKey}:seq`], [raw === null ? 0 : 1, raw ?? '', next === null ? 0 : 1, next ?? '', this.sessionTtlMs, bound === undefined ? -1 : bound.max])) as [number, string | false | null];
			if (answer[0] === 1) return result;
			raw = typeof answer[1] === 'string' ? answer[1] : null;
			// Another process won the race: back off a little, with jitter, before retrying from its value.
			if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
		}
		throw new StorageUnavailableError(`Redis: the value ${key} kept changing under ${MAX_CAS_ATTEMPTS} concurrent updates; giving up.`);
	}

	/** Closes the connection RedisStorage opened (a client you passed in is yours to close). */
	async close(): Promise<void> {
		if (!this.#owned) return;
		try {
			await this.#client.quit();
		} catch {
			this.#client.disconnect();
		}
	}

	#keys(namespace: string) {
		const base = `${this.keyPrefix}{${namespace}}:`;
		return {
			base,
			counters: `${base}s`,
			tools: `${base}t`,
			interventions: `${base}i`,
			value: (key: string) => `${base}v:${key}`,
			group: (name: string) => `${base}g:${name}`,
		};
	}

	/** Resolves when the connection is ready; a connection that never gets there is caught by the caller's timeout. */
	#ready(): Promise<void> {
		return new Promise((resolve) => {
			if (this.#client.status === 'ready') return resolve();
			const check = () => {
				if (this.#client.status !== 'ready') return;
				this.#client.off('ready', check);
				resolve();
			};
			this.#client.on('ready', check);
			if (this.#client.status === 'wait') void this.#client.connect().catch(() => undefined);
		});
	}

	/** Runs a script by its SHA, loading it on the first NOSCRIPT (after a Redis restart, scripts are gone). */
	async #eval(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
		let sha = this.#sha.get(script);
		if (sha === undefined) this.#sha.set(script, (sha = createHash('sha1').update(script).digest('hex')));
		try {
			return await this.#run(() => this.#client.evalsha(sha, keys.length, ...keys, ...args));
		} catch (error) {
			if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
			return this.#run(() => this.#client.eval(script, keys.length, ...keys, ...args));
		}
	}

	/**
	 * Runs an operation once the connection is ready (commands are not queued while disconnected), bounded by
	 * `timeoutMs`, and turns every store failure into a StorageUnavailableError.
	 */
	#run<T>(start: () => Promise<T>): Promise<T> {
		const operation = this.#client.status === 'ready' ? start() : this.#ready().then(start);
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new StorageUnavailableError(`Redis did not answer within ${this.timeoutMs} ms${this.#lastError === undefined ? '' : ` (${this.#lastError.message})`}.`)), this.timeoutMs);
		});
		// The operation may still settle after a timeout: its outcome must not become an unhandled rejection.
		operation.catch(() => undefined);
		return Promise.race([operation, timeout])
			.catch((error: unknown) => {
				if (error instanceof StorageUnavailableError) throw error;
				const message = error instanceof Error ? error.message : String(error);
				if (/NOSCRIPT/.test(message)) throw error;
				throw new StorageUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
			})
			.finally(() => clearTimeout(timer));
	}
}

function limitArg(limit: number): number {
	return limit === Infinity ? -1 : limit;
}

function pairs(flat: readonly string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
	return out;
}

function numbers(record: Record<string, string>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [key, value] of Object.entries(record)) out[key] = Number(value);
	return out;
}

function counters(s: Record<string, string>, t: Record<string, string>): SessionCounters {
	const num = (name: string) => Number(s[name] ?? 0);
	return {
		attempts: num('attempts'),
		executions: num('executions'),
		consecutiveFailures: num('consecutiveFailures'),
		consecutiveDenials: num('consecutiveDenials'),
		halted: s['halted'] ?? null,
		toolExecutions: numbers(t),
	};
}

/** JSON for guard values: results replayed from a shared store are JSON copies (bigint as a string). */
function toJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
