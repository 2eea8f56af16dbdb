import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../CliError.js';

/** One log as the sink wrote it: a base path and its rotated siblings, oldest first (`.3`, `.2`, `.1`, base). */
export interface LogSet {
	readonly base: string;
	readonly files: readonly string[];
	/** Total size in bytes, for progress. */
	readonly bytes: number;
}

const ROTATED = /^(.*)\.(\d+)$/;
/** What a directory contributes: logs and their rotations (`*.jsonl`, `*.jsonl.N`); locks and notes are skipped. */
const LOG_NAME = /\.jsonl(\.\d+)?$/;

/**
 * Groups paths into log sets. A file's rotated siblings (`audit.jsonl.1`, `.2`, ...) join it; a directory contributes
 * every `*.jsonl` set in it (not recursively); a rotated file named alone (`audit.jsonl.2`) is a set with just that
 * file. Sets come out in the order they were named, and a file named twice is read once.
 *
 * @throws CliError for a path that does not exist or a directory without logs
 */
export async function resolveLogSets(paths: readonly string[], cwd: string): Promise<LogSet[]> {
	if (paths.length === 0) throw new CliError('no log files given (pass files, rotated sets or directories).');
	const sets = new Map<string, Set<string>>();
	const add = (base: string, file: string) => {
		let files = sets.get(base);
		if (files === undefined) sets.set(base, (files = new Set()));
		files.add(file);
	};
	for (const given of paths) {
		const path = resolve(cwd, given);
		const info = await stat(path).catch(() => undefined);
		if (info === undefined) throw new CliError(`${given}: no such file or directory.`);
		if (info.isDirectory()) {
			const names = (await readdir(path)).filter((name) => LOG_NAME.test(name));
			if (names.length === 0) throw new CliError(`${given}: no audit logs (*.jsonl, *.jsonl.N) in this directory.`);
			for (const name of names)
				add(
					join(
						path,
						name.replace(ROTATED, (m, b: string) => (b.endsWith('.jsonl') ? b : m)),
					),
					join(path, name),
				);
			continue;
		}
		const rotated = ROTATED.exec(path);
		if (rotated !== null) {
			add(rotated[1] as string, path);
			continue;
		}
		add(path, path);
		for (const sibling of await siblingsOf(path)) add(path, sibling);
	}
	const out: LogSet[] = [];
	for (const [base, files] of sets) {
		const ordered = [...files].sort((a, b) => generation(b) - generation(a));
		let bytes = 0;
		for (const file of ordered) bytes += (await stat(file)).size;
		out.push({ base, files: ordered, bytes });
	}
	return out;
}

async function siblingsOf(path: string): Promise<string[]> {
	const prefix = `${basename(path)}.`;
	const names = await readdir(dirname(path));
	return names
		.filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
		.map((name) => join(dirname(path), name));
}

/** 0 for the live file, N for `.N` (older). */
function generation(file: string): number {
	const match = ROTATED.exec(file);
	return match === null ? 0 : Number(match[2]);
}
