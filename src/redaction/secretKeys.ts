/**
 * Whether an object key names a secret. Keys are split into words (snake_case, kebab-case, camelCase, dots), so
 * `apiKey`, `x-api-key`, `AWS_SECRET_ACCESS_KEY` match while words that merely contain "key" (`keyboard`, `monkey`)
 * and counters such as `max_tokens` or `token_count` do not.
 */
const STRONG = new Set(['password', 'passwd', 'passphrase', 'pwd', 'secret', 'secrets', 'credential', 'credentials', 'apikey', 'cookie', 'cookies', 'authorization', 'dsn', 'privatekey', 'accesskey', 'secretkey', 'clientsecret', 'jwt']);
const PAIRS = new Set(['api_key', 'private_key', 'access_key', 'secret_key', 'client_secret', 'set_cookie', 'connection_string', 'session_id', 'session_key', 'encryption_key', 'signing_key', 'master_key', 'account_key', 'access_token', 'refresh_token', 'auth_token', 'id_token', 'session_token', 'bearer_token']);
/** Words that name a secret only as the key's last word (`access_token`, but not `token_count`). */
const LAST = new Set(['token', 'session', 'auth', 'otp', 'sid']);
/** A last word that describes a secret rather than holding one: `password_reset_url`, `secret_name`, `token_type`. */
const DESCRIPTIVE = new Set(['url', 'uri', 'link', 'path', 'file', 'hint', 'policy', 'length', 'len', 'count', 'enabled', 'required', 'type', 'name', 'names', 'expiry', 'expires', 'at', 'ttl', 'rotation', 'version', 'label', 'field', 'prompt', 'id', 'ids', 'arn', 'ref']);

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
		if (words.length > 1 && DESCRIPTIVE.has(last) && !PAIRS.has(`${words[words.length - 2] as string}_${last}`)) return false;
		for (let i = 0; i < words.length; i++) {
			const word = words[i] as string;
			if (custom.has(word)) return true;
			if (!useDefaults) continue;
			if (STRONG.has(word)) return true;
			if (i > 0 && PAIRS.has(`${words[i - 1] as string}_${word}`)) return true;
		}
		return useDefaults && LAST.has(last);
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
