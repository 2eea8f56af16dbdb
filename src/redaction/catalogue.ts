import { AI_RULES } from './rules/ai.js';
import { CLOUD_RULES } from './rules/cloud.js';
import { DEVTOOLS_RULES } from './rules/devtools.js';
import { GENERIC_RULES } from './rules/generic.js';
import { MESSAGING_RULES } from './rules/messaging.js';
import type { SecretRule } from './SecretRule.js';

const first = new Set(['pem-private-key', 'jwt']);
const last = new Set(['secret-context']);

/**
 * Every built-in secret format, in the order they run: whole blocks first (PEM keys, JWTs, which contain shorter
 * look-alikes), then provider formats, then the context rules (URLs, headers, shell), then the generic rule for
 * random-looking tokens after a secret word. The text rule for `key = value` (id `key-value`) runs after them all.
 */
export const CATALOGUE: readonly SecretRule[] = (() => {
	const all = [...GENERIC_RULES, ...AI_RULES, ...CLOUD_RULES, ...DEVTOOLS_RULES, ...MESSAGING_RULES];
	const rank = (rule: SecretRule) => (first.has(rule.id) ? 0 : last.has(rule.id) ? 3 : GENERIC_RULES.includes(rule) ? 2 : 1);
	return all.sort((a, b) => rank(a) - rank(b));
})();

/** The id of the text rule for `key = value` pairs whose key names a secret. */
export const KEY_VALUE_RULE = 'key-value';

/** Every id `disableRules` accepts. */
export const RULE_IDS: ReadonlySet<string> = new Set([...CATALOGUE.map((rule) => rule.id), KEY_VALUE_RULE]);

/** One regex over lowercased text that holds whenever any of `rules` can match: most text skips them all. */
export function prefilter(rules: readonly SecretRule[]): RegExp {
	const needles = [...new Set(rules.flatMap((rule) => rule.needles))];
	return new RegExp(needles.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}
