import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LineChannel, type Channel, type JsonRpcMessage } from './LineChannel.js';

/** How the upstream's end is reported: `null` when the gateway itself stopped it. */
export type UpstreamExit = (reason: string | null) => void;

const POSIX = process.platform !== 'win32';

/**
 * An upstream MCP server started as a command, speaking MCP over its stdio. It runs in a process group of its own so
 * that stopping it stops what it started too (`npx` → node, a shell → its children): nothing is left behind.
 */
export class StdioUpstream implements Channel {
	onmessage?: (message: JsonRpcMessage, raw: string | undefined) => void;
	onclose?: () => void;
	readonly #child: ChildProcess;
	readonly #channel: LineChannel;
	readonly #exited: Promise<void>;
	#stopping = false;

	constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv, onExit: UpstreamExit) {
		this.#child = spawn(command, [...args], {
			stdio: ['pipe', 'pipe', 'inherit'],
			env,
			detached: POSIX,
			windowsHide: true,
		});
		// stdio is 'pipe' for both, so the streams exist.
		this.#channel = new LineChannel(this.#child.stdout as Readable, this.#child.stdin as Writable);
		this.#channel.onmessage = (message, raw) => this.onmessage?.(message, raw);
		this.#exited = new Promise((resolve) => {
			this.#child.once('error', (error) => {
				if (!this.#stopping) onExit(`could not start the upstream server "${command}": ${error.message}`);
				resolve();
			});
			this.#child.once('exit', (code, signal) => {
				if (!this.#stopping)
					onExit(
						`the upstream server "${command}" exited (${signal === null ? `code ${String(code)}` : `signal ${signal}`})`,
					);
				resolve();
			});
		});
	}

	/** The upstream's process id (its process group id on POSIX). */
	get pid(): number | undefined {
		return this.#child.pid;
	}

	send(message: JsonRpcMessage, raw?: string): Promise<void> {
		return this.#channel.send(message, raw);
	}

	/**
	 * Stops the upstream and its process group: stdin closed (the MCP spec's polite stop), SIGTERM, then SIGKILL after
	 * `graceMs`. The group is killed even when the leader already exited, for children it left running.
	 */
	async close(graceMs = 600): Promise<void> {
		this.#stopping = true;
		await this.#channel.close();
		this.#child.stdin?.end();
		this.#signal('SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.#exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
		clearTimeout(timer);
		this.#signal('SIGKILL');
	}

	#signal(signal: NodeJS.Signals): void {
		const pid = this.#child.pid;
		if (pid === undefined) return;
		try {
			if (POSIX) process.kill(-pid, signal);
			else this.#child.kill(signal);
		} catch {
			// ESRCH: the group is already gone.
		}
	}
}
