import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nextFile } from './recoverLog.js';

/**
 * Rotates `path` to `path.1` (`.1` to `.2`, ..., dropping what passes `maxFiles`) and puts a new file in its place
 * that already starts with `firstLine` (the chain head). The new file is prepared as `<path>.next` first, so a crash
 * at any moment leaves either the old file in place or the new one ready: the chain never restarts
 * (`recoverLog` completes an interrupted rotation).
 */
export async function rotateFiles(path: string, maxFiles: number, firstLine: string, durable: boolean): Promise<void> {
	const next = nextFile(path);
	const handle = await open(next, 'w');
	try {
		await handle.write(firstLine);
		if (durable) await handle.sync();
	} finally {
		await handle.close();
	}
	if (maxFiles === 0) {
		await rm(path, { force: true });
	} else {
		await rm(`${path}.${maxFiles}`, { force: true });
		for (let i = maxFiles - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(ignoreMissing);
		await rename(path, `${path}.1`).catch(ignoreMissing);
	}
	await rename(next, path);
	if (durable) await syncDirectory(dirname(path));
}

function ignoreMissing(error: unknown): void {
	if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

/** Makes the renames themselves durable (a power loss otherwise may undo them). */
async function syncDirectory(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} catch {
		// Some file systems cannot fsync a directory; the renames are still atomic.
	} finally {
		await handle.close();
	}
}
