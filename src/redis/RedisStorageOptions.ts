import { Redis } from 'ioredis';
import { ConfigError } from '../errors/ConfigError.js';
import { checkFingerprintKey } from '../storage/fingerprintKey.js';
import { checkKeys, checkLimit, checkOneOf } from '../_internal/validate.js';

/** Options of `RedisStorage`. Give `url` (it connects by itself) or `client` (already connected). */
export interface RedisStorageOptions {
	/**
	 * A Redis URL, e.g. `redis://localhost:6379/0` (`redis://:password@host:6379` with `requirepass`). RedisStorage
	 * opens (and on `close()` closes) its own connection.
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
	 * Idle sessions expire after this long. Every write refreshes the expiry of all of a session's keys together, so
	 * a session in use never loses part of its state.
	 * @default 86_400_000 (24 h)
	 */
	readonly sessionTtlMs?: number;
	/**
	 * When Redis is unreachable or slow, or a session's state was lost: `closed` denies calls (source
	 * `storage_unavailable`; a session with lost state stays denied until `warden.resetSession(id)`), `open` lets them
	 * go on without limits and guards, audited as a would-deny (a session with lost state starts over).
	 * @default 'closed'
	 */
	readonly failMode?: 'open' | 'closed';
	/**
	 * The bound of all the store work of one call (attempt, guards, reservation), end to end: a call never waits
	 * longer on the store.
	 * @default 1000
	 */
	readonly timeoutMs?: number;
	/**
	 * The secret under which guards fingerprint call arguments (SHA-256 keyed by it) for keys and values: argument text never
	 * sits in Redis. Every process sharing the store must use the same key (e.g. from a secret manager).
	 * @default a key derived from `keyPrefix`: argument text never appears, but someone who can read Redis can check
	 * guessed arguments against the fingerprints. Set a secret for arguments that matter.
	 * @example { fingerprintKey: secrets.toolwardenFingerprintKey } // from your secret manager, never undefined
	 */
	readonly fingerprintKey?: string | Buffer;
}

/** RedisStorageOptions, validated, with defaults. */
export interface ResolvedRedisOptions {
	readonly client: Redis | undefined;
	readonly url: string;
	readonly keyPrefix: string;
	readonly sessionTtlMs: number;
	readonly timeoutMs: number;
	readonly failMode: 'open' | 'closed';
	readonly fingerprintKey: string | Buffer;
}

const KEYS = ['url', 'client', 'keyPrefix', 'sessionTtlMs', 'failMode', 'timeoutMs', 'fingerprintKey'];

export function resolveRedisOptions(options: RedisStorageOptions): ResolvedRedisOptions {
	checkKeys(options, KEYS, 'RedisStorageOptions');
	const { url, client } = options;
	if (url !== undefined && client !== undefined)
		throw new ConfigError('RedisStorageOptions: give url or client, not both.');
	if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url)))
		throw new ConfigError('RedisStorageOptions.url must be a redis:// or rediss:// URL.');
	if (client !== undefined && typeof (client as Partial<Redis>).evalsha !== 'function')
		throw new ConfigError('RedisStorageOptions.client must be an ioredis client.');
	const keyPrefix = options.keyPrefix ?? 'toolwarden:';
	if (typeof keyPrefix !== 'string') throw new ConfigError('RedisStorageOptions.keyPrefix must be a string.');
	const sessionTtlMs = checkLimit(options.sessionTtlMs, 'RedisStorageOptions.sessionTtlMs', 86_400_000);
	const timeoutMs = checkLimit(options.timeoutMs, 'RedisStorageOptions.timeoutMs', 1000);
	if (sessionTtlMs < 1 || sessionTtlMs === Infinity || timeoutMs < 1 || timeoutMs === Infinity)
		throw new ConfigError('RedisStorageOptions.sessionTtlMs and timeoutMs must be positive integers.');
	const failMode =
		options.failMode === undefined
			? 'closed'
			: checkOneOf(options.failMode, ['open', 'closed'] as const, 'RedisStorageOptions.failMode');
	const fingerprintKey =
		checkFingerprintKey(options.fingerprintKey, 'RedisStorageOptions.fingerprintKey') ??
		`toolwarden-fingerprint:${keyPrefix}`;
	const resolved = {
		url: url ?? 'redis://127.0.0.1:6379',
		keyPrefix,
		sessionTtlMs,
		timeoutMs,
		failMode,
		fingerprintKey,
	};
	return { client, ...resolved };
}

/** The client RedisStorage opens for a URL: bounded commands, no offline queue, reconnection with backoff. */
export function openClient(url: string, timeoutMs: number): Redis {
	return new Redis(url, {
		commandTimeout: timeoutMs,
		connectTimeout: Math.max(timeoutMs, 1000),
		enableOfflineQueue: false,
		enableAutoPipelining: true,
		maxRetriesPerRequest: 0,
		retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
	});
}
