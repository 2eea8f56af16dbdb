import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One log and its rotated siblings: what `verifyAuditLog` checks as one chain. */
export interface AuditFileSet {
	/** The live file, e.g. `logs/audit.jsonl`. */
	readonly base: string;
	/** The files of the chain, oldest first: `['logs/audit.jsonl.2', 'logs/audit.jsonl.1', 'logs/audit.jsonl']`. */
	readonly files: readonly string[];
}

const ROTATED = /^(.*)\.(\d+)$/;
/** In a directory, the files that are audit logs: `*.jsonl` and their rotated siblings `*.jsonl.<n>`. */
const LOG_NAME = /\.jsonl(?:\.\d+)?$/;

/**
 * Groups log paths into chains: `x.jsonl.<n>` joins `x.jsonl` when the base or another sibling is listed too, and
 * each set is ordered oldest first (highest `<n>` first, the base last). Sets come in the order of their bases.
 *
 * @example
 * ```ts
 * groupAuditFiles(['w1.jsonl', 'w2.jsonl.1', 'w1.jsonl.1', 'w2.jsonl']);
 * // [{ base: 'w1.jsonl', files: ['w1.jsonl.1', 'w1.jsonl'] }, { base: 'w2.jsonl', files: ['w2.jsonl.1', 'w2.jsonl'] }]
 * ```
 */
export function groupAuditFiles(paths: readonly string[]): AuditFileSet[] {
	const unique = [...new Set(paths)];
	const bases = new Map<string, Array<{ path: string; index: number }>>();
	const counts = new Map<string, number>();
	for (const path of unique) {
		const match = ROTATED.exec(path);
		if (match !== null) counts.set(match[1] as string, (counts.get(match[1] as string) ?? 0) + 1);
	}
	for (const path of unique) {
		const match = ROTATED.exec(path);
		const base =
			match !== null && (unique.includes(match[1] as string) || (counts.get(match[1] as string) ?? 0) > 1)
				? (match[1] as string)
				: path;
		const index = base === path ? 0 : Number(match?.[2]);
		let members = bases.get(base);
		if (members === undefined) bases.set(base, (members = []));
		members.push({ path, index });
	}
	return [...bases.entries()]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([base, members]) => ({ base, files: members.sort((a, b) => b.index - a.index).map((m) => m.path) }));
}

/**
 * What to verify for a `verifyAuditLog` argument: an array is taken as given (grouped into sets); a directory means
 * every `*.jsonl` chain in it; a file means that file with its rotated siblings (`<file>.1`, `<file>.2`, ...).
 */
export async function resolveAuditFiles(paths: string | readonly string[]): Promise<AuditFileSet[]> {
	if (typeof paths !== 'string') return groupAuditFiles(paths);
	const info = await stat(paths).catch(() => undefined);
	if (info?.isDirectory() === true) {
		const names = (await readdir(paths)).filter((name) => LOG_NAME.test(name));
		return groupAuditFiles(names.map((name) => join(paths, name)));
	}
	const prefix = `${basename(paths)}.`;
	const siblings =
		info === undefined
			? []
			: (await readdir(dirname(paths))).filter(
					(name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)),
				);
	return [
		{
			base: paths,
			files: [
				...siblings
					.map((name) => ({ name, index: Number(name.slice(prefix.length)) }))
					.sort((a, b) => b.index - a.index)
					.map((s) => join(dirname(paths), s.name)),
				paths,
			],
		},
	];
}
