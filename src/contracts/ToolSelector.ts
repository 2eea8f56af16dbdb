import { ConfigError } from '../errors/ConfigError.js';

/**
 * Which tools a contract or hook applies to: `'*'` (all), an exact name, a glob (`'db.*'`, `'fs_*'`: `*` matches any
 * run of characters, `.` included), or an array of these. Case-sensitive.
 *
 * @example
 * ```ts
 * precondition(['write_file', 'fs_*'], check);
 * ```
 */
export type ToolSelector = string | readonly string[];

/** Compiles a selector once, so matching a tool name costs a comparison or one regex test. */
export function compileSelector(selector: ToolSelector, where: string): (toolName: string) => boolean {
	const patterns = typeof selector === 'string' ? [selector] : selector;
	if (!Array.isArray(patterns) || patterns.length === 0) {
		throw new ConfigError(
			`${where}: the tool selector must be a tool name, a glob such as 'db.*', '*', or a non-empty array of these.`,
		);
	}
	const exact = new Set<string>();
	const globs: string[] = [];
	for (const pattern of patterns as readonly unknown[]) {
		if (typeof pattern !== 'string' || pattern === '')
			throw new ConfigError(`${where}: every tool selector entry must be a non-empty string.`);
		if (pattern === '*') return () => true;
		if (pattern.includes('*')) globs.push(pattern.split('*').map(escapeRegExp).join('.*'));
		else exact.add(pattern);
	}
	if (globs.length === 0) return exact.size === 1 ? singleName([...exact][0] as string) : (name) => exact.has(name);
	const regex = new RegExp(`^(?:${globs.join('|')})$`);
	return (name) => exact.has(name) || regex.test(name);
}

const singleName = (only: string) => (name: string) => name === only;

function escapeRegExp(text: string): string {
	return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
