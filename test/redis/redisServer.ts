import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Whether a redis-server binary is on this machine (`.ci/run` installs it; CI fails without it). */
export const redisAvailable = spawnSync('redis-server', ['--version']).status === 0;
if (!redisAvailable && process.env['CI'] === 'true')
	throw new Error('redis-server is required in CI (.ci/run installs it with apt-get).');
if (!redisAvailable)
	console.warn('redis-server not found: the Redis tests are skipped (apt-get install redis-server to run them).');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
		});
	});
}

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
	/** `requirepass`: clients must authenticate. */
	readonly password?: string;
}

/**
 * A real redis-server on loopback, no persistence (`--save '' --appendonly no`), for one test file. `stop()` then
 * `restart()` is a restart that loses every key, on the same port.
 */
export class RedisServer {
	#process: ChildProcess | undefined;

	private constructor(
		readonly port: number,
		readonly options: RedisServerOptions,
	) {}

	static async start(port?: number, options: RedisServerOptions = {}): Promise<RedisServer> {
		const server = new RedisServer(port ?? (await freePort()), options);
		await server.restart();
		return server;
	}

	/** The URL to connect with (with the password, when the server requires one). */
	get url(): string {
		return `redis://${this.options.password === undefined ? '' : `:${encodeURIComponent(this.options.password)}@`}127.0.0.1:${this.port}`;
	}

	async restart(): Promise<void> {
		const auth = this.options.password === undefined ? [] : ['--requirepass', this.options.password];
		const args = [
			'--port',
			String(this.port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--protected-mode',
			'yes',
			...auth,
		];
		const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
		this.#process = child;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
			let output = '';
			child.stdout?.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('Ready to accept connections')) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`redis-server exited (${code}): ${output}`));
			});
		});
	}

	async stop(): Promise<void> {
		const child = this.#process;
		this.#process = undefined;
		if (child === undefined || child.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill('SIGKILL');
		});
	}
}
