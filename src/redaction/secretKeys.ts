/**
 * Whether an object key names a secret. Keys are split into words (snake_case, kebab-case, camelCase, dots), so
 * `apiKey`, `x-api-key`, `AWS_SECRET_ACCESS_KEY` match while words that merely contain "key" (`keyboard`, `monkey`)
 * and counters such as `max_tokens` or `token_count` do not.
 */
const STRONG = new Set([
	'password',
	'passwd',
	'passphrase',
	'pwd',
	'secret',
	'secrets',
	'credential',
	'credentials',
	'apikey',
	'cookie',
	'cookies',
	'authorization',
	'dsn',
	'privatekey',
	'accesskey',
	'secretkey',
	'clientsecret',
	'jwt',
]);
const PAIRS = new Set([
	'api_key',
	'private_key',
	'access_key',
	'secret_key',
	'client_secret',
	'set_cookie',
	'connection_string',
	'session_id',
	'session_key',
	'encryption_key',
	'signing_key',
	'master_key',
	'account_key',
	'access_token',
	'refresh_token',
	'auth_token',
	'id_token',
	'session_token',
	'bearer_token',
]);
/** Words that name a secret only as the key's last word (`access_token`, but not `token_count`). */
const LAST = new Set(['token', 'session', 'auth', 'otp', 'sid']);
/** A last word that describes a secret rather than holding one: `password_reset_url`, `secret_name`, `token_type`. */
const DESCRIPTIVE = new Set([
	'url',
	'uri',
	'link',
	'path',
	'file',
	'hint',
	'policy',
	'length',
	'len',
	'count',
	'enabled',
	'required',
	'type',
	'name',
	'names',
	'expiry',
	'expires',
	'at',
	'ttl',
	'rotation',
	'version',
	'label',
	'field',
	'prompt',
	'id',
	'ids',
	'arn',
	'ref',
	'age',
	'secure',
	'domain',
	'samesite',
	'httponly',
	'timeout',
	'min',
	'max',
	'size',
	'limit',
	'format',
	'algorithm',
	'alg',
	'method',
	'mode',
	'provider',
	'endpoint',
	'store',
	'backend',
	'engine',
	'dir',
	'directory',
	'location',
	'region',
	'scope',
	'scopes',
	'issuer',
	'audience',
	'lifetime',
	'duration',
	'interval',
	'strategy',
	'handler',
	'enabled',
	'disabled',
	'strength',
	'header',
	'param',
	'prefix',
	'suffix',
]);

/** Words that name a secret as the last of two or more (`HEROKU_KEY`, `hubspotKey`, `DB_PASS`, `GITHUB_PAT`). */
const QUALIFIED_LAST = new Set(['key', 'pass', 'pw', 'pat', 'passcode', 'pin']);
/** A `*_key` that names something other than a secret: `sort_key`, `primary_key`, `public_key`, `cache_key`. */
const NOT_SECRET_KEY = new Set([
	'sort',
	'primary',
	'foreign',
	'partition',
	'cache',
	'idempotency',
	'object',
	'row',
	'lookup',
	'map',
	'hash',
	'dedupe',
	'dedup',
	'group',
	'shard',
	'routing',
	'public',
	'publishable',
	'site',
	'unique',
	'composite',
	'range',
	'index',
	'translation',
	'i18n',
	'message',
	'react',
	'list',
	'table',
	'column',
	'field',
	'order',
	'search',
	'join',
	'cluster',
	'bucket',
	's3',
	'redis',
	'hot',
	'short',
	'dict',
	'registry',
	'metric',
	'label',
	'config',
	'settings',
	'event',
	'state',
	'store',
	'file',
	'entity',
	'natural',
	'surrogate',
	'candidate',
	'compound',
	'music',
	'piano',
	'answer',
	'data',
	'model',
	'property',
	'prop',
	'attribute',
	'attr',
	'header',
	'json',
	'yaml',
	'env',
	'feature',
	'flag',
	'toggle',
	'i',
	'item',
	'child',
	'parent',
	'node',
	'id',
	'user',
	'lock',
	'queue',
	'topic',
	'stream',
	'job',
	'task',
]);
/** UPPER_SNAKE environment names ending in `_LOGIN` hold a CI tool's credential (`SONAR_LOGIN`). */
const ENV_LOGIN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_LOGIN$/;

/** Splits a key into lowercase words. */
export function keyWords(key: string): string[] {
	return key
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word !== '');
}

export interface SecretKeyMatcher {
	(key: string): boolean;
}

/**
 * Builds the key test. `extra` keys are matched as whole keys (case- and separator-insensitive) or as words;
 * `useDefaults: false` keeps only `extra`.
 */
export function secretKeyMatcher(extra: readonly string[], useDefaults: boolean): SecretKeyMatcher {
	const custom = new Set(extra.map((key) => keyWords(key).join('_')));
	const cache = new Map<string, boolean>();
	const test = (key: string): boolean => {
		const words = keyWords(key);
		if (words.length === 0) return false;
		if (custom.has(words.join('_'))) return true;
		const last = words[words.length - 1] as string;
		// A descriptive last word (`_url`, `_name`, `_hint`) describes a secret rather than holding one, for default
		// and custom words alike; a custom key listed whole was matched above.
		if (words.length > 1 && DESCRIPTIVE.has(last) && !PAIRS.has(`${words[words.length - 2] as string}_${last}`))
			return false;
		for (let i = 0; i < words.length; i++) {
			const word = words[i] as string;
			if (custom.has(word)) return true;
			if (!useDefaults) continue;
			if (STRONG.has(word)) return true;
			if (i > 0 && PAIRS.has(`${words[i - 1] as string}_${word}`)) return true;
		}
		if (!useDefaults) return false;
		if (LAST.has(last)) return true;
		if (words.length > 1 && QUALIFIED_LAST.has(last) && !NOT_SECRET_KEY.has(words[words.length - 2] as string))
			return true;
		return ENV_LOGIN.test(key) && !['USER', 'LAST', 'FIRST'].includes(words[words.length - 2]?.toUpperCase() ?? '');
	};
	return (key) => {
		let hit = cache.get(key);
		if (hit === undefined) {
			hit = test(key);
			// Keys come from agents; bound the cache so a flood of unique keys cannot grow it without end.
			if (cache.size < 10_000) cache.set(key, hit);
		}
		return hit;
	};
}
