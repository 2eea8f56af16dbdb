import { REDACTED } from './marker.js';
import type { SecretKeyMatcher } from './secretKeys.js';

/**
 * `key = value` in any text: `.env` and shell (`export K=v`), INI, YAML (`k: v`), JSON (`"k": "v"`, also with
 * escaped quotes inside a string), Go (`k := v`), Ruby/PHP (`k => v`), URL queries (`?k=v&`). Only the key and the
 * separator are matched; the value is read by hand, so a key whose name is no secret (`Output:`) never swallows the
 * `KEY=value` after it, and a quoted value is redacted whole, spaces and all. The separator never crosses a line.
 */
const KEY = /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]{0,127})(?:\\?["']\]?)?[ \t]{0,16}(?::=|=>|=|:)[ \t]{0,16}/g;

/** Longest value read; a longer one is redacted up to here and the rest cut off by the string caps. */
const MAX_VALUE = 4096;
const SCHEMES = /^(?:Bearer|Basic|Token|Digest|Bot|Negotiate|token)[ \t]+/;
/** Placeholders and references, not secrets: `${VAR}`, `{{var}}`, `$(cmd)`, `$VAR`, `%VAR%`, `<token>`. */
const PLACEHOLDER = /^(?:\$\{|\{\{|\$\(|<[^<>]*>?$|%[A-Za-z_]\w*%$|\$[A-Za-z_][A-Za-z0-9_]*$)/;
/** Masks, not secrets: `xxxx`, `****`, `••••`, `...`. */
const MASK = /^[xX*•.#-]{3,}$/;
/** Code, not a value: `getToken()`, `process.env.TOKEN`, `null`, `await fetchSecret()`. */
// Case variants spelled out: a case-sensitive alternation is several times cheaper than /i on this hot path.
const CODE =
	/^(?:await|new|null|NULL|nil|none|None|true|True|TRUE|false|False|FALSE|undefined|this|self|process|os|env|import|require|function|lambda)\b/;
/** A URL with no user part holds no credential (its own rules still run on it). */
const BARE_URL = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^@\s]*$/;

/** Whether a value under a secret-named key is a placeholder, a mask, code or a plain URL rather than a secret. */
export function isPlaceholder(value: string): boolean {
	const first = value.charCodeAt(0);
	// Most values are plain tokens: test their first character before any regex.
	if (PLACEHOLDER_START.has(first)) return value === REDACTED || PLACEHOLDER.test(value) || MASK.test(value);
	return CODE.test(value) || (value.includes('://') && BARE_URL.test(value));
}

const PLACEHOLDER_START = new Set([...'${<%xX*•.#-['].map((c) => c.charCodeAt(0)));

/** Redacts the value of every `key = value` in `text` whose key names a secret. Linear in the text's length. */
export function redactKeyValues(text: string, isSecretKey: SecretKeyMatcher): string {
	let out = '';
	let last = 0;
	KEY.lastIndex = 0;
	for (let match = KEY.exec(text); match !== null; match = KEY.exec(text)) {
		if (!isSecretKey(match[1] as string)) continue;
		const span = valueSpan(text, KEY.lastIndex);
		if (span === undefined) continue;
		out += text.slice(last, span[0]) + REDACTED;
		last = span[1];
		KEY.lastIndex = span[1];
	}
	return last === 0 ? text : out + text.slice(last);
}

/** Where the secret value starting at `at` lies, or undefined when there is none to redact. */
function valueSpan(text: string, at: number): [number, number] | undefined {
	let start = at;
	let quote = '';
	let escaped = false;
	const first = text[at];
	if (first === '\\' && (text[at + 1] === '"' || text[at + 1] === "'")) {
		quote = text[at + 1] as string;
		escaped = true;
		start = at + 2;
	} else if (first === '"' || first === "'" || first === '`') {
		quote = first;
		start = at + 1;
	}
	const scheme = SCHEMES.exec(text.slice(start, start + 24));
	if (scheme !== null) start += scheme[0].length;
	const limit = Math.min(text.length, start + MAX_VALUE);
	let end = start;
	if (quote === '') {
		while (end < limit && !STOP.has(text.charCodeAt(end))) end++;
		// `getToken()`: a call, not a value.
		if (text[end] === '(') return undefined;
		if (end - start < 3) return undefined;
	} else {
		while (end < limit) {
			const c = text[end];
			if (c === '\n' || (escaped ? c === '\\' && text[end + 1] === quote : c === quote)) break;
			end += !escaped && c === '\\' ? 2 : 1;
		}
		end = Math.min(end, limit);
		if (end === start) return undefined;
	}
	return isPlaceholder(text.slice(start, end)) ? undefined : [start, end];
}

/** What ends an unquoted value: white space, quotes, and the separators of queries, lists, calls and blocks. */
const STOP = new Set([...' \t\r\n"\'`&;,(){}[]<>\\'].map((c) => c.charCodeAt(0)));
