import createRedactor from '@pinojs/redact';
import { ConfigError } from '../errors/ConfigError.js';
import { checkKeys, checkLimit } from '../_internal/validate.js';
import { ASSIGNMENT, ASSIGNMENT_TRIGGER, PREFILTER, REDACTED, SECRET_PATTERNS, type SecretPattern } from './patterns.js';
import { keyWords, secretKeyMatcher, type SecretKeyMatcher } from './secretKeys.js';

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

const OPTION_KEYS = ['secretKeys', 'replaceDefaultKeys', 'patterns', 'paths', 'maxStringLength', 'maxArrayItems', 'maxEventBytes'] as const;
const PATH_ROOT = /^(?:args|principal|metadata)(?:[.[]|$)/;

/** The parts of a call that `paths` address. */
export interface CallParts {
	readonly args: unknown;
	readonly principal: unknown;
	readonly metadata: unknown;
}
const MAX_DEPTH = 32;
// Short strings repeat across calls (tool names, session ids, environments, common args): remember their redaction.
const MEMO_MAX_LENGTH = 256;
const MEMO_MAX_ENTRIES = 4096;

// Redaction runs over a little more than what is kept, so a secret straddling the cut is still recognised whole.
const CUT_MARGIN = 512;

/** Counts what a redaction walk produced, to bound the serialised size without serialising. */
export interface SizeTally {
	chars: number;
}

/**
 * Removes secrets from anything toolwarden writes: audit events, span attributes, error messages. Applied at write
 * time; it never mutates its input.
 *
 * Defaults: values under secret-named keys at any depth; secret-shaped values anywhere inside any string (provider
 * API keys and tokens, JWTs, PEM private keys, Bearer/Basic credentials, credentials in URLs and in shell commands);
 * strings over 4096 characters cut; events capped at 32 KiB. The marker is `[REDACTED]`.
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
	readonly #customPatterns: readonly SecretPattern[];
	readonly #memo = new Map<string, string>();
	readonly #customKeyFilter: RegExp | undefined;
	readonly #defaultKeys: boolean;
	readonly #paths: ((parts: CallParts) => CallParts) | undefined;

	constructor(options: RedactionOptions = {}) {
		checkKeys(options, OPTION_KEYS, 'RedactionOptions');
		const rawKeys: unknown = options.secretKeys ?? [];
		if (!Array.isArray(rawKeys) || rawKeys.some((k) => typeof k !== 'string' || k === '')) throw new ConfigError('RedactionOptions.secretKeys must be an array of non-empty strings.');
		const secretKeys = rawKeys as readonly string[];
		const extra: readonly unknown[] = options.patterns ?? [];
		if (!Array.isArray(extra) || extra.some((p) => !(p instanceof RegExp))) throw new ConfigError('RedactionOptions.patterns must be an array of RegExp.');
		this.#defaultKeys = options.replaceDefaultKeys !== true;
		this.#isSecretKey = secretKeyMatcher(secretKeys, this.#defaultKeys);
		// Custom key words are not in the shared prefilter: text mentioning one must reach the assignment rule too.
		const words = [...new Set(secretKeys.flatMap((key) => keyWords(key)))].map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
		this.#customKeyFilter = words.length === 0 ? undefined : new RegExp(words.join('|'));
		const custom = (extra as readonly RegExp[]).map((regex, i): SecretPattern => ({ name: `custom-${i}`, trigger: () => true, regex: regex.global ? regex : new RegExp(regex.source, `${regex.flags}g`) }));
		this.#customPatterns = custom;
		this.#paths = pathRedactor(options.paths);
		this.maxStringLength = positive(options.maxStringLength, 'maxStringLength', 4096);
		this.maxArrayItems = positive(options.maxArrayItems, 'maxArrayItems', 1000);
		this.maxEventBytes = positive(options.maxEventBytes, 'maxEventBytes', 32_768);
		if (this.maxEventBytes < 1024) throw new ConfigError('RedactionOptions.maxEventBytes must be at least 1024.');
	}

	/** Applies `paths` to a call's args, principal and metadata (a copy; the input is never changed). */
	redactPaths(parts: CallParts): CallParts {
		return this.#paths === undefined ? parts : this.#paths(parts);
	}

	/** Whether values under this key are redacted whole. */
	isSecretKey(key: string): boolean {
		return this.#isSecretKey(key);
	}

	/**
	 * Returns `text` with every secret-shaped value replaced by `[REDACTED]` and cut to `maxStringLength`.
	 */
	redactText(text: string): string {
		if (typeof text !== 'string') return this.redactText(String(text));
		if (text.length < 8 || isUuid(text)) return text;
		if (text.length <= MEMO_MAX_LENGTH && text.length <= this.maxStringLength) {
			let out = this.#memo.get(text);
			if (out === undefined) {
				out = this.#scrub(text);
				if (this.#memo.size >= MEMO_MAX_ENTRIES) this.#memo.clear();
				this.#memo.set(text, out);
			}
			return out;
		}
		const long = text.length > this.maxStringLength;
		let out = long ? text.slice(0, this.maxStringLength + CUT_MARGIN) : text;
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
	 * as `{ name, message }`.
	 */
	redact<T>(value: T): unknown {
		return this.walk(value, { chars: 0 });
	}

	/** @internal `redact`, tallying the characters it produced. */
	walk(value: unknown, tally: SizeTally): unknown {
		return this.#walk(value, tally, 0, []);
	}

	#scrub(text: string): string {
		let out = text;
		const lower = text.toLowerCase();
		if (PREFILTER.test(lower)) {
			for (const pattern of SECRET_PATTERNS) if (pattern.trigger(out, lower)) out = applyPattern(out, pattern);
			if (this.#defaultKeys && ASSIGNMENT_TRIGGER.test(lower)) out = this.#assignments(out);
		}
		if (this.#customKeyFilter !== undefined && this.#customKeyFilter.test(lower)) out = this.#assignments(out);
		for (const pattern of this.#customPatterns) out = applyPattern(out, pattern);
		return out;
	}

	/** Redacts the values of `key=value` pairs whose key names a secret, by the same test as object keys. */
	#assignments(text: string): string {
		ASSIGNMENT.lastIndex = 0;
		return text.replace(ASSIGNMENT, (match: string, prefix: string, key: string) => (this.#isSecretKey(key) ? `${prefix}${REDACTED}` : match));
	}

	#walk(value: unknown, tally: SizeTally, depth: number, ancestors: object[]): unknown {
		switch (typeof value) {
			case 'string': {
				const text = this.redactText(value);
				tally.chars += text.length + 2;
				return text;
			}
			case 'number':
			case 'boolean':
				tally.chars += 8;
				return value;
			case 'undefined':
				return undefined;
			case 'bigint':
				tally.chars += 20;
				return value.toString();
			case 'symbol':
				return this.#walk(value.toString(), tally, depth, ancestors);
			case 'function':
				return this.#walk(`[Function ${value.name || 'anonymous'}]`, tally, depth, ancestors);
		}
		if (value === null) {
			tally.chars += 4;
			return null;
		}
		const object = value as object;
		if (ancestors.includes(object)) return '[Circular]';
		if (depth >= MAX_DEPTH) return '[Truncated]';
		const mark = ancestors.length;
		try {
			if (object instanceof Date) return this.#walk(Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString(), tally, depth, ancestors);
			if (object instanceof Error) return this.#walk({ name: object.name, message: object.message }, tally, depth, ancestors);
			if (object instanceof Map || object instanceof Set) return `[${object.constructor.name}(${object.size})]`;
			if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return `[${object.constructor.name}(${object.byteLength} bytes)]`;
			ancestors.push(object);
			const out = Array.isArray(object) ? this.#walkArray(object, tally, depth, ancestors) : this.#walkObject(object, tally, depth, ancestors);
			ancestors.pop();
			return out;
		} catch {
			// A Proxy or exotic object that throws while being read: say so, never crash the audit path.
			ancestors.length = mark;
			return '[Unreadable]';
		}
	}

	#walkArray(array: readonly unknown[], tally: SizeTally, depth: number, ancestors: object[]): unknown[] {
		const kept = Math.min(array.length, this.maxArrayItems);
		const out: unknown[] = new Array<unknown>(kept);
		for (let i = 0; i < kept; i++) {
			const item = this.#walk(array[i], tally, depth + 1, ancestors);
			out[i] = item === undefined ? null : item;
		}
		if (array.length > kept) out.push(`…[TRUNCATED ${array.length - kept} items]`);
		tally.chars += kept + 2;
		return out;
	}

	#walkObject(object: object, tally: SizeTally, depth: number, ancestors: object[]): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const key in object) {
			if (!Object.hasOwn(object, key)) continue;
			let redacted: unknown;
			if (this.#isSecretKey(key)) {
				redacted = REDACTED;
				tally.chars += REDACTED.length + 2;
			} else {
				let raw: unknown;
				try {
					raw = (object as Record<string, unknown>)[key];
				} catch {
					raw = '[Unreadable]';
				}
				redacted = this.#walk(raw, tally, depth + 1, ancestors);
				if (redacted === undefined) continue;
			}
			tally.chars += key.length + 4;
			if (key === '__proto__') Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true, configurable: true });
			else out[key] = redacted;
		}
		return out;
	}
}

/**
 * Call and session ids are usually UUIDs: no secret format fits that shape (hex digits with dashes at fixed places),
 * and they would flood the memo. A character loop is several times cheaper than the equivalent regex here.
 */
function isUuid(text: string): boolean {
	if (text.length !== 36) return false;
	for (let i = 0; i < 36; i++) {
		const c = text.charCodeAt(i);
		if (i === 8 || i === 13 || i === 18 || i === 23) {
			if (c !== 45) return false;
		} else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) {
			return false;
		}
	}
	return true;
}

function applyPattern(text: string, pattern: SecretPattern): string {
	const { regex, keep, confirm } = pattern;
	regex.lastIndex = 0;
	if (!regex.test(text)) return text;
	regex.lastIndex = 0;
	return text.replace(regex, (match: string, ...groups: unknown[]) => {
		if (confirm !== undefined && !confirm(match)) return match;
		if (keep === undefined) return REDACTED;
		const before = keep[0] === 0 ? '' : ((groups[keep[0] - 1] as string | undefined) ?? '');
		const after = keep[1] === 0 ? '' : ((groups[keep[1] - 1] as string | undefined) ?? '');
		return `${before}${REDACTED}${after}`;
	});
}

function pathRedactor(paths: unknown): ((parts: CallParts) => CallParts) | undefined {
	if (paths === undefined) return undefined;
	if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === '')) throw new ConfigError('RedactionOptions.paths must be an array of non-empty path strings.');
	if (paths.length === 0) return undefined;
	for (const path of paths as string[]) {
		if (path.includes('**')) throw new ConfigError(`RedactionOptions.paths: "${path}" uses "**", which is not supported; name each location (use "*" for one level).`);
		if (!PATH_ROOT.test(path)) throw new ConfigError(`RedactionOptions.paths: "${path}" must start with args, principal or metadata (e.g. "args.card.number").`);
	}
	let redactor: (input: object) => unknown;
	try {
		redactor = createRedactor({ paths: [...(paths as string[])], censor: REDACTED, serialize: false, strict: false });
	} catch (error) {
		throw new ConfigError(`RedactionOptions.paths: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
	}
	return (parts) => {
		const { args, principal, metadata } = redactor({ args: parts.args, principal: parts.principal, metadata: parts.metadata }) as CallParts;
		return { args, principal, metadata };
	};
}

function positive(value: unknown, name: string, fallback: number): number {
	const n = checkLimit(value, `RedactionOptions.${name}`, fallback);
	if (n < 1) throw new ConfigError(`RedactionOptions.${name} must be at least 1.`);
	return n;
}
