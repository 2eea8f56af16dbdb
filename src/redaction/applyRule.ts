import { isPlaceholder } from './keyValues.js';
import { REDACTED } from './marker.js';
import type { SecretRule } from './SecretRule.js';

/**
 * Replaces every match of a rule with the marker, keeping its `pre` and `post` groups; a match its `confirm` rejects,
 * or a placeholder after a context (`Bearer `, `user:`), stays as it is.
 */
export function applyRule(text: string, rule: SecretRule): string {
	const { pattern, confirm } = rule;
	pattern.lastIndex = 0;
	if (!pattern.test(text)) return text;
	pattern.lastIndex = 0;
	return text.replace(pattern, (match: string, ...rest: unknown[]) => {
		const groups = rest[rest.length - 1] as Record<string, string | undefined> | undefined;
		const pre = (typeof groups === 'object' ? groups.pre : undefined) ?? '';
		const post = (typeof groups === 'object' ? groups.post : undefined) ?? '';
		const secret = match.slice(pre.length, match.length - post.length);
		// After a context (`Bearer `, `user:`, `--token `) a placeholder is a template, not a secret.
		if ((confirm !== undefined && !confirm(secret)) || (pre !== '' && isPlaceholder(secret))) return match;
		return `${pre}${REDACTED}${post}`;
	});
}
