import { open, rename, rm, truncate, type FileHandle } from 'node:fs/promises';
import { parseChainLine, type ChainLink } from './chainLine.js';

/** The state of a log file found on open, after repairing it. */
export interface RecoveredLog {
	/** Bytes in the file after repair (where appending continues). */
	readonly size: number;
	/** The last chained line of the log (in this file, or in the newest rotated sibling when this one is empty). */
	readonly head: ChainLink | undefined;
	/** Bytes of a torn last line that were removed (0 when the file ended with a complete line). */
	readonly removedBytes: number;
	/** A rotation interrupted by a crash was completed (its prepared file moved into place). */
	readonly finishedRotation: boolean;
}

/** `<path>.next`: a rotation's new file, written (with the chain head) before the old file is moved away. */
export const nextFile = (path: string): string => `${path}.next`;

/**
 * Makes an existing log safe to append to after a crash: finishes or discards an interrupted rotation, cuts a torn
 * last line (a write the process did not finish), and finds the chain head to continue from.
 */
export async function recoverLog(path: string): Promise<RecoveredLog> {
	const finishedRotation = await finishRotation(path);
	const tail = await readTail(path);
	if (tail === undefined) return { size: 0, head: await lastLinkOf(`${path}.1`), removedBytes: 0, finishedRotation };
	const removedBytes = tail.size - tail.end;
	if (removedBytes > 0) await truncate(path, tail.end);
	const head = tail.lastLine === undefined ? await lastLinkOf(`${path}.1`) : linkOf(tail.lastLine);
	return { size: tail.end, head, removedBytes, finishedRotation };
}

/**
 * A crash during rotation leaves `<path>.next`. If the old file was already moved away, the rotation is completed;
 * if not, the old file still holds the chain head and the prepared file is dropped.
 */
async function finishRotation(path: string): Promise<boolean> {
	const next = nextFile(path);
	if (!(await exists(next))) return false;
	if (await exists(path)) {
		await rm(next, { force: true });
		return false;
	}
	await rename(next, path);
	return true;
}

async function exists(path: string): Promise<boolean> {
	try {
		await (await open(path, 'r')).close();
		return true;
	} catch {
		return false;
	}
}

function linkOf(line: string): ChainLink | undefined {
	const parsed = parseChainLine(line);
	return parsed === undefined ? undefined : { seq: parsed.seq, hash: parsed.hash };
}

async function lastLinkOf(path: string): Promise<ChainLink | undefined> {
	const tail = await readTail(path);
	return tail?.lastLine === undefined ? undefined : linkOf(tail.lastLine);
}

interface Tail {
	readonly size: number;
	/** Offset just after the last newline: where complete lines end. */
	readonly end: number;
	/** The last complete line, without its newline. */
	readonly lastLine: string | undefined;
}

/** Reads only the end of a file, growing the window until it holds the last complete line. */
async function readTail(path: string): Promise<Tail | undefined> {
	let handle: FileHandle;
	try {
		handle = await open(path, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	try {
		const { size } = await handle.stat();
		let window = 64 * 1024;
		for (;;) {
			const start = Math.max(0, size - window);
			const buffer = Buffer.alloc(size - start);
			await handle.read(buffer, 0, buffer.length, start);
			const last = buffer.lastIndexOf(0x0a);
			if (last === -1 && start > 0) {
				window *= 4;
				continue;
			}
			if (last === -1) return { size, end: 0, lastLine: undefined };
			const previous = buffer.lastIndexOf(0x0a, last - 1);
			if (previous === -1 && start > 0) {
				window *= 4;
				continue;
			}
			return { size, end: start + last + 1, lastLine: buffer.subarray(previous + 1, last).toString('utf8') };
		}
	} finally {
		await handle.close();
	}
}
