import { ConfigError } from '../errors/ConfigError.js';
import { checkKeys } from '../_internal/validate.js';
import { customRules, escape, pathRedactor, positive, stringList } from './options.js';
import { CATALOGUE, KEY_VALUE_RULE, RULE_IDS, RuleIndex } from './catalogue.js';
import { isPlaceholder, redactKeyValues } from './keyValues.js';
import { REDACTED } from './marker.js';
import { applyRule } from './applyRule.js';
import { isUuid } from './isUuid.js';
import type { SecretRule } from './SecretRule.js';
import { keyWords, secretKeyMatcher, type SecretKeyMatcher } from './secretKeys.js';
import { walk, type SizeTally } from './walk.js';

export type { SizeTally } from './walk.js';

/**
 * A secret format of your own, for {@link RedactionOptions.rules}.
 *
 * @example
 * ```ts
 * { id: 'acme-key', pattern: /\bacme_[a-z0-9]{32}\b/g, description: 'Acme API keys' }
 * ```
 */
export interface CustomRedactionRule {
	/** A unique id (not one of the built-in ids). */
	readonly id: string;
	/**
	 * What to redact: every match is replaced by `[REDACTED]`, except the named groups `pre` and `post`, which stay.
	 * Make it linear (no nested or overlapping unbounded repetition): it runs on every string toolwarden writes.
	 */
	readonly pattern: RegExp;
	/** What the rule is for, for your own records. */
	readonly description?: string;
}

/**
 * Options of {@link RedactionPolicy}.
 *
 * @example
 * ```ts
 * new RedactionPolicy({ secretKeys: ['ssn', 'card_number'], patterns: [/\bEMP-\d{6}\b/g], maxStringLength: 2000 });
 * ```
 */
export interface RedactionOptions {
	/**
	 * More key names whose values are always redacted, at any depth (case-insensitive; `cardNumber`, `card_number`
	 * and `card-number` are one key). Added to the defaults (password, secret, token, api_key, authorization,
	 * cookie, private_key, client_secret, access_key, session, credentials, connection_string, ...).
	 * @default []
	 */
	readonly secretKeys?: readonly string[];
	/**
	 * Use only `secretKeys`, dropping the default key list.
	 * @default false
	 */
	readonly replaceDefaultKeys?: boolean;
	/**
	 * More secret-shaped value patterns; every match inside any string is replaced by `[REDACTED]`.
	 * @default []
	 */
	readonly patterns?: readonly RegExp[];
	/**
	 * More secret formats, each with an id. Every match inside any string is replaced by `[REDACTED]` (named groups
	 * `pre` and `post` stay).
	 * @default []
	 * @example
	 * ```ts
	 * rules: [{ id: 'acme-key', pattern: /(?<![\w-])acme_[a-z0-9]{32}(?![\w-])/g }]
	 * ```
	 */
	readonly rules?: readonly CustomRedactionRule[];
	/**
	 * Built-in rules to turn off, by id (`docs/redaction.md` lists them all; `key-value` is the rule for
	 * `key = value` in text). An unknown id throws `ConfigError`, so a typo cannot silently keep a rule on.
	 * @default []
	 * @example
	 * ```ts
	 * disableRules: ['twilio', 'mailgun']
	 * ```
	 */
	readonly disableRules?: readonly string[];
	/**
	 * Exact locations to redact, in pino path syntax, rooted at `args`, `principal` or `metadata` of a call:
	 * `'args.card.number'`, `'args.users[*].ssn'`, `'principal.claims.email'`, `'metadata["x-trace"]'`. Applied before
	 * the key and value rules. `**` is not supported (a path names a place, it does not search).
	 * @default []
	 */
	readonly paths?: readonly string[];
	/**
	 * Strings longer than this are cut, ending in a `…[TRUNCATED n chars]` marker.
	 * @default 4096
	 */
	readonly maxStringLength?: number;
	/**
	 * Arrays longer than this keep their first items and a marker.
	 * @default 1000
	 */
	readonly maxArrayItems?: number;
	/**
	 * Most UTF-8 bytes an audit event may take once serialised; larger ones are truncated and marked `truncated: true`.
	 * @default 32768
	 */
	readonly maxEventBytes?: number;
}

const OPTION_KEYS = [
	'secretKeys',
	'replaceDefaultKeys',
	'patterns',
	'rules',
	'disableRules',
	'paths',
	'maxStringLength',
	'maxArrayItems',
	'maxEventBytes',
] as const;

/** The parts of a call that `paths` address. */
export interface CallParts {
	readonly args: unknown;
	readonly principal: unknown;
	readonly metadata: unknown;
}
// Short strings repeat across calls (tool names, session ids, environments, common args): remember their redaction.
const MEMO_MAX_LENGTH = 256;
const MEMO_MAX_ENTRIES = 4096;
/** Slots of the recent-strings cache (a power of two). */
const RECENT_SLOTS = 16;

// Redaction runs over a little more than what is kept, so a secret straddling the cut is still recognised whole.
const CUT_MARGIN = 512;

/** Words one of which a default secret key holds (lowercased): text without any skips the `key = value` rule. */
const KEY_WORDS = /pass|pwd|secret|token|key|auth|cookie|credential|session|dsn|jwt|otp\b|sid\b|login|pat\b|pw\b|pin\b/;
/** What replaces a text that a rule failed on (an engine limit): the whole text, never the text unscanned. */
const UNSCANNABLE = '[REDACTED: text could not be scanned]';

/**
 * Removes secrets from anything toolwarden writes: audit events, span attributes, error messages. Applied at write
 * time; it never mutates its input.
 *
 * Defaults: values under secret-named keys at any depth, in objects and in `key = value` text (.env, YAML, INI, JSON,
 * code); secret-shaped values anywhere inside any string, by a catalogue of ~90 provider formats (listed with their
 * ids in `docs/redaction.md`), JWTs, PEM private keys, Bearer/Basic credentials, credentials in URLs and in shell
 * commands; placeholders (`${VAR}`, `<token>`, `xxxx`) left alone; strings over 4096 characters cut; events capped
 * at 32 KiB, with a redaction budget per event. The marker is `[REDACTED]`.
 *
 * @example
 * ```ts
 * const policy = new RedactionPolicy({ secretKeys: ['ssn'] });
 * policy.redact({ user: 'ann', ssn: '123-45-6789', note: 'key sk-ant-api03-abc...' });
 * // { user: 'ann', ssn: '[REDACTED]', note: 'key [REDACTED]' }
 * policy.redactText('curl -H "Authorization: Bearer abc.def.ghi" https://api.example.com');
 * ```
 */
export class RedactionPolicy {
	/** The marker that replaces a redacted value. */
	static readonly MARKER = REDACTED;

	readonly maxStringLength: number;
	readonly maxArrayItems: number;
	readonly maxEventBytes: number;
	readonly #isSecretKey: SecretKeyMatcher;
	readonly #index: RuleIndex;
	readonly #custom: readonly SecretRule[];
	readonly #keyValues: boolean;
	readonly #memo = new Map<string, string>();
	/**
	 * A direct-mapped cache in front of the memo, by length: the same few strings (a tool name, an environment, a
	 * common arg) come back on every call, and comparing one string costs less than hashing it into the memo.
	 */
	readonly #recentIn: string[] = new Array<string>(RECENT_SLOTS).fill('');
	readonly #recentOut: string[] = new Array<string>(RECENT_SLOTS).fill('');
	readonly #customKeyFilter: RegExp | undefined;
	readonly #paths: ((parts: CallParts) => CallParts) | undefined;

	constructor(options: RedactionOptions = {}) {
		checkKeys(options, OPTION_KEYS, 'RedactionOptions');
		const secretKeys = stringList(options.secretKeys, 'secretKeys');
		const useDefaults = options.replaceDefaultKeys !== true;
		this.#isSecretKey = secretKeyMatcher(secretKeys, useDefaults);
		// Custom key words are not in the shared prefilter: text mentioning one must reach the key-value rule too.
		const words = [...new Set(secretKeys.flatMap((key) => keyWords(key)))].map(escape);
		this.#customKeyFilter = words.length === 0 ? undefined : new RegExp(words.join('|'));
		const disabled = new Set(stringList(options.disableRules, 'disableRules'));
		for (const id of disabled)
			if (!RULE_IDS.has(id))
				throw new ConfigError(`RedactionOptions.disableRules: no rule "${id}" (docs/redaction.md lists the ids).`);
		const builtIn = CATALOGUE.filter((rule) => !disabled.has(rule.id));
		this.#index = new RuleIndex(builtIn);
		this.#custom = customRules(options.patterns, options.rules);
		this.#keyValues = useDefaults && !disabled.has(KEY_VALUE_RULE);
		this.#paths = pathRedactor(options.paths);
		this.maxStringLength = positive(options.maxStringLength, 'maxStringLength', 4096);
		this.maxArrayItems = positive(options.maxArrayItems, 'maxArrayItems', 1000);
		this.maxEventBytes = positive(options.maxEventBytes, 'maxEventBytes', 32_768);
		if (this.maxEventBytes < 1024) throw new ConfigError('RedactionOptions.maxEventBytes must be at least 1024.');
	}

	/** @internal Whether `paths` were given (without them {@link redactPaths} returns its input). */
	get hasPaths(): boolean {
		return this.#paths !== undefined;
	}

	/** Applies `paths` to a call's args, principal and metadata (a copy; the input is never changed). */
	redactPaths(parts: CallParts): CallParts {
		return this.#paths === undefined ? parts : this.#paths(parts);
	}

	/** Whether values under this key are redacted whole. */
	isSecretKey(key: string): boolean {
		return this.#isSecretKey(key);
	}

	/** @internal Whether a value under a secret key is a placeholder (`${VAR}`, `<token>`, `xxxx`, a bare URL). */
	isPlaceholder(value: string): boolean {
		return isPlaceholder(value);
	}

	/**
	 * Returns `text` with every secret-shaped value replaced by `[REDACTED]` and cut to `maxStringLength`.
	 */
	redactText(text: string): string {
		if (typeof text !== 'string') return this.redactText(String(text));
		if (text.length < 8) return text;
		const slot = text.length & (RECENT_SLOTS - 1);
		if (this.#recentIn[slot] === text) return this.#recentOut[slot] as string;
		let out: string | undefined;
		if (isUuid(text)) out = text;
		else if (text.length <= MEMO_MAX_LENGTH && text.length <= this.maxStringLength) {
			out = this.#memo.get(text);
			if (out === undefined) {
				out = this.#scrub(text);
				if (this.#memo.size >= MEMO_MAX_ENTRIES) this.#memo.clear();
				this.#memo.set(text, out);
			}
		}
		if (out !== undefined) {
			this.#recentIn[slot] = text;
			this.#recentOut[slot] = out;
			return out;
		}
		const long = text.length > this.maxStringLength;
		out = long ? text.slice(0, this.maxStringLength + CUT_MARGIN) : text;
		if (out.length >= 8) out = this.#scrub(out);
		if (long || out.length > this.maxStringLength) {
			out = `${out.slice(0, this.maxStringLength)}…[TRUNCATED ${text.length - this.maxStringLength} chars]`;
		}
		return out;
	}

	/**
	 * Returns a redacted, JSON-safe deep copy of `value`: secret-keyed values and secret-shaped substrings replaced,
	 * long strings and arrays cut, cycles as `[Circular]`, nesting past 32 levels as `[Truncated]`, unreadable
	 * properties as `[Unreadable]`, bigint as a string, functions and symbols described, Dates as ISO strings, errors
	 * as `{ name, message }`. One call scans at most 8 × `maxEventBytes` characters and walks at most
	 * `maxEventBytes / 2` keys and items, whatever the shape of `value`; what lies beyond is replaced by a marker
	 * saying the redaction budget was spent.
	 */
	redact<T>(value: T): unknown {
		return this.walk(value, { chars: 0 });
	}

	/** @internal `redact`, tallying the characters it produced; walks sharing a tally share one budget. */
	walk(value: unknown, tally: SizeTally): unknown {
		tally.budget ??= { chars: 8 * this.maxEventBytes, nodes: Math.floor(this.maxEventBytes / 2) };
		// `walk` takes the policy as its WalkRules structurally: an internal protocol the public class does not declare.
		return walk(this, value, tally, tally.budget);
	}

	#scrub(text: string): string {
		try {
			let out = text;
			const lower = text.toLowerCase();
			for (const rule of this.#index.select(lower)) {
				if (rule.minLength === undefined || out.length >= rule.minLength) out = applyRule(out, rule);
			}
			if ((this.#keyValues && KEY_WORDS.test(lower)) || this.#customKeyFilter?.test(lower) === true) {
				out = redactKeyValues(out, this.#isSecretKey);
			}
			for (const rule of this.#custom) out = applyRule(out, rule);
			return out;
		} catch {
			// A rule hit an engine limit (a user pattern's backtracking stack, say): fail closed.
			return UNSCANNABLE;
		}
	}
}
