import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Helpers to run `auditWorker.ts` in child processes, for the fault tests. */
export const worker = fileURLToPath(new URL('./auditWorker.ts', import.meta.url));

/** Starts a worker and resolves once it printed `line` (rejects if it exits first or takes over `timeoutMs`). */
export function startWorker(args: readonly string[], line: string, timeoutMs = 15_000): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`worker ${args.join(' ')} did not print "${line}" in ${timeoutMs} ms: ${err}`));
		}, timeoutMs);
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.split('\n').includes(line)) {
				clearTimeout(timer);
				resolve(child);
			}
		});
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`worker ${args.join(' ')} exited (${code}) before printing "${line}": ${err}`));
		});
	});
}

/** Kills a child with SIGKILL and waits until it is gone. */
export async function kill(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGKILL');
	await gone;
}

/** Runs a command to completion; resolves with its stdout, exit code and stderr. */
export function runCommand(
	command: string,
	args: readonly string[],
	timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(command, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: timeoutMs,
			killSignal: 'SIGKILL',
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
