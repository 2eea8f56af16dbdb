import { AI_RULES } from './rules/ai.js';
import { CLOUD_RULES } from './rules/cloud.js';
import { DEVTOOLS_RULES } from './rules/devtools.js';
import { GENERIC_RULES } from './rules/generic.js';
import { MESSAGING_RULES } from './rules/messaging.js';
import { SAAS_RULES } from './rules/saas.js';
import type { SecretRule } from './SecretRule.js';

const first = new Set(['pem-private-key', 'jwt']);
const last = new Set(['secret-context']);

/**
 * Every built-in secret format, in the order they run: whole blocks first (PEM keys, JWTs, which contain shorter
 * look-alikes), then provider formats, then the context rules (URLs, headers, shell), then the generic rule for
 * random-looking tokens after a secret word. The text rule for `key = value` (id `key-value`) runs after them all.
 */
export const CATALOGUE: readonly SecretRule[] = (() => {
	const all = [...GENERIC_RULES, ...AI_RULES, ...CLOUD_RULES, ...DEVTOOLS_RULES, ...MESSAGING_RULES, ...SAAS_RULES];
	const rank = (rule: SecretRule) =>
		first.has(rule.id) ? 0 : last.has(rule.id) ? 3 : GENERIC_RULES.includes(rule) ? 2 : 1;
	return all.sort((a, b) => rank(a) - rank(b));
})();

/** The id of the text rule for `key = value` pairs whose key names a secret. */
export const KEY_VALUE_RULE = 'key-value';

/** Every id `disableRules` accepts. */
export const RULE_IDS: ReadonlySet<string> = new Set([...CATALOGUE.map((rule) => rule.id), KEY_VALUE_RULE]);

/**
 * Picks the rules that can match a text from one pass over it. Needles are indexed by their first two characters
 * (one-character needles by their first), so each position costs a table look-up, and a `startsWith` only where a
 * needle can begin. Far cheaper than a regex alternation of ~150 literals, which V8 tries one by one at each position.
 */
export class RuleIndex {
	/** Bucket number + 1 for each pair of character codes (0: no needle starts so); singles by one code. */
	readonly #pairs = new Uint16Array(128 * 128);
	readonly #singles = new Uint16Array(128);
	readonly #buckets: Entry[][] = [];
	/** 1 for the rules without needles: they run on every text. */
	readonly #isAlways: Uint8Array;
	readonly #alwaysRules: readonly SecretRule[];
	/** Each rule's `minLength` (0 when it has none). */
	readonly #minLengths: Uint32Array;
	/** The generation that last picked each rule (see `select`). */
	readonly #marks: Uint32Array;
	#generation = 0;
	readonly #rules: readonly SecretRule[];
	/** Whether any needle is present at all: one native regex scan, which rules most text out before the pass. */
	readonly #gate: RegExp;

	constructor(rules: readonly SecretRule[]) {
		this.#rules = rules;
		const all = [...new Set(rules.flatMap((rule) => rule.needles))].map((n) =>
			n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
		);
		this.#gate = new RegExp(all.length === 0 ? '(?!)' : all.join('|'));
		const needles = new Map<string, number[]>();
		rules.forEach((rule, i) => {
			for (const needle of rule.needles) needles.set(needle, [...(needles.get(needle) ?? []), i]);
		});
		for (const [needle, ids] of needles) {
			// Needles are lowercase ASCII (checked by the catalogue test); others could never be found.
			const table = needle.length === 1 ? this.#singles : this.#pairs;
			const slot = needle.length === 1 ? needle.charCodeAt(0) : (needle.charCodeAt(0) << 7) | needle.charCodeAt(1);
			if (table[slot] === 0) table[slot] = this.#buckets.push([]);
			this.#buckets[(table[slot] as number) - 1]?.push({ needle, ids });
		}
		this.#isAlways = Uint8Array.from(rules, (rule) => (rule.needles.length === 0 ? 1 : 0));
		this.#minLengths = Uint32Array.from(rules, (rule) => rule.minLength ?? 0);
		this.#marks = new Uint32Array(rules.length);
		this.#alwaysRules = rules.filter((rule) => rule.needles.length === 0);
	}

	/**
	 * The rules that can match a text whose lowercase form is `lower`, in catalogue order. A rule whose `minLength`
	 * the text is shorter than is never picked (a one-character needle such as Mailgun's `-` would otherwise pick
	 * its rule for every hyphenated name, only for the rule to be skipped).
	 */
	select(lower: string): readonly SecretRule[] {
		if (!this.#gate.test(lower)) return this.#alwaysRules;
		const pairs = this.#pairs;
		const singles = this.#singles;
		// A generation number per call marks the picked rules: no array to allocate or clear per text.
		const mark = this.#nextMark();
		let picked = false;
		for (let i = 0, next = lower.charCodeAt(0); i < lower.length; i++) {
			const c = next;
			next = lower.charCodeAt(i + 1);
			if (c >= 128) continue;
			const single = singles[c] as number;
			const pair = next < 128 ? (pairs[(c << 7) | next] as number) : 0;
			if (single !== 0 && this.#mark(single, lower, i, mark)) picked = true;
			if (pair !== 0 && this.#mark(pair, lower, i, mark)) picked = true;
		}
		if (!picked) return this.#alwaysRules;
		const marks = this.#marks;
		const found: SecretRule[] = [];
		for (let i = 0; i < marks.length; i++) {
			if (marks[i] === mark || this.#isAlways[i] === 1) found.push(this.#rules[i] as SecretRule);
		}
		return found;
	}

	#nextMark(): number {
		if (++this.#generation === 0xffffffff) {
			this.#marks.fill(0);
			this.#generation = 1;
		}
		return this.#generation;
	}

	/** Marks the rules of the needles in `bucket` found at `at`; true when one was marked. */
	#mark(bucket: number, lower: string, at: number, mark: number): boolean {
		let marked = false;
		for (const { needle, ids } of this.#buckets[bucket - 1] as Entry[]) {
			if (needle.length > 2 && !lower.startsWith(needle, at)) continue;
			for (const id of ids) {
				if (lower.length < (this.#minLengths[id] as number)) continue;
				this.#marks[id] = mark;
				marked = true;
			}
		}
		return marked;
	}
}

interface Entry {
	readonly needle: string;
	readonly ids: readonly number[];
}
