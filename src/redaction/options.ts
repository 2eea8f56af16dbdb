import createRedactor from '@pinojs/redact';
import { ConfigError } from '../errors/ConfigError.js';
import { checkLimit } from '../_internal/validate.js';
import { RULE_IDS } from './catalogue.js';
import { REDACTED } from './marker.js';
import type { CallParts, CustomRedactionRule } from './RedactionPolicy.js';
import type { SecretRule } from './SecretRule.js';

// Checks and builds the parts of `RedactionOptions` that are more than a number.

const PATH_ROOT = /^(?:args|principal|metadata)(?:[.[]|$)/;

/** User rules: `patterns` (ids `custom-0`, …) and `rules`, all made global; ids must be new. */
export function customRules(patterns: unknown, rules: unknown): SecretRule[] {
	const extra: unknown = patterns ?? [];
	if (!Array.isArray(extra) || extra.some((p) => !(p instanceof RegExp)))
		throw new ConfigError('RedactionOptions.patterns must be an array of RegExp.');
	const named: unknown = rules ?? [];
	if (!Array.isArray(named)) throw new ConfigError('RedactionOptions.rules must be an array of { id, pattern }.');
	const out = (extra as RegExp[]).map((regex, i) => custom(`custom-${i}`, regex));
	for (const rule of named as unknown[]) {
		const { id, pattern } = (rule ?? {}) as Partial<CustomRedactionRule>;
		if (typeof id !== 'string' || id === '' || !(pattern instanceof RegExp))
			throw new ConfigError('RedactionOptions.rules: each rule needs a non-empty string id and a RegExp pattern.');
		if (RULE_IDS.has(id) || out.some((r) => r.id === id))
			throw new ConfigError(`RedactionOptions.rules: the id "${id}" is already taken.`);
		out.push(custom(id, pattern));
	}
	return out;
}

function custom(id: string, regex: RegExp): SecretRule {
	const pattern = regex.global ? new RegExp(regex.source, regex.flags) : new RegExp(regex.source, `${regex.flags}g`);
	return { id, provider: 'custom', pattern, needles: [], examples: [], docs: '' };
}

export function stringList(value: unknown, name: string): readonly string[] {
	const list: unknown = value ?? [];
	if (!Array.isArray(list) || list.some((k) => typeof k !== 'string' || k === ''))
		throw new ConfigError(`RedactionOptions.${name} must be an array of non-empty strings.`);
	return list as readonly string[];
}

export const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function pathRedactor(paths: unknown): ((parts: CallParts) => CallParts) | undefined {
	if (paths === undefined) return undefined;
	if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === ''))
		throw new ConfigError('RedactionOptions.paths must be an array of non-empty path strings.');
	if (paths.length === 0) return undefined;
	for (const path of paths as string[]) {
		if (path.includes('**'))
			throw new ConfigError(
				`RedactionOptions.paths: "${path}" uses "**", which is not supported; name each location (use "*" for one level).`,
			);
		if (!PATH_ROOT.test(path))
			throw new ConfigError(
				`RedactionOptions.paths: "${path}" must start with args, principal or metadata (e.g. "args.card.number").`,
			);
	}
	let redactor: (input: object) => unknown;
	try {
		redactor = createRedactor({ paths: [...(paths as string[])], censor: REDACTED, serialize: false, strict: false });
	} catch (error) {
		throw new ConfigError(`RedactionOptions.paths: ${error instanceof Error ? error.message : String(error)}`, {
			cause: error,
		});
	}
	return (parts) => {
		const { args, principal, metadata } = redactor({
			args: parts.args,
			principal: parts.principal,
			metadata: parts.metadata,
		}) as CallParts;
		return { args, principal, metadata };
	};
}

export function positive(value: unknown, name: string, fallback: number): number {
	const n = checkLimit(value, `RedactionOptions.${name}`, fallback);
	if (n < 1) throw new ConfigError(`RedactionOptions.${name} must be at least 1.`);
	return n;
}
