import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StorageUnavailableError } from '../errors/StorageUnavailableError.js';

/**
 * RedisStorage's connection: runs commands and scripts once the client is ready, each bounded by `timeoutMs`, and
 * turns every store failure into a StorageUnavailableError. While the client is reconnecting, commands fail at once
 * instead of waiting: during an outage no call waits longer than it must, and nothing piles up per call.
 */
export class RedisConnection {
	readonly client: Redis;
	readonly #timeoutMs: number;
	readonly #sha = new Map<string, string>();
	/** One wait for the connection attempt in progress, shared by every command that arrives meanwhile. */
	#connecting: Promise<void> | undefined;
	#lastError: Error | undefined;

	constructor(client: Redis, timeoutMs: number) {
		this.client = client;
		this.#timeoutMs = timeoutMs;
		// ioredis emits connection errors as events: keep the latest for error messages, never crash the process.
		client.on('error', (error: Error) => {
			this.#lastError = error;
		});
	}

	/** Runs a script by its SHA, loading it on the first NOSCRIPT (after a Redis restart, scripts are gone). */
	async eval(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
		let sha = this.#sha.get(script);
		if (sha === undefined) this.#sha.set(script, (sha = createHash('sha1').update(script).digest('hex')));
		try {
			return await this.run(() => this.client.evalsha(sha, keys.length, ...keys, ...args));
		} catch (error) {
			if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
			return this.run(() => this.client.eval(script, keys.length, ...keys, ...args));
		}
	}

	/** Runs a command once the connection is ready, bounded by `timeoutMs`. */
	run<T>(start: () => Promise<T>): Promise<T> {
		const operation = this.client.status === 'ready' ? start() : this.#ready().then(start);
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				const message = `Redis did not answer within ${this.#timeoutMs} ms${this.#cause()}.`;
				reject(new StorageUnavailableError(message));
			}, this.#timeoutMs);
		});
		// The operation may still settle after a timeout: its outcome must not become an unhandled rejection.
		operation.catch(() => undefined);
		return Promise.race([operation, timeout])
			.catch((error: unknown) => {
				if (error instanceof StorageUnavailableError) throw error;
				const message = error instanceof Error ? error.message : String(error);
				if (message.includes('NOSCRIPT')) throw error;
				throw new StorageUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
			})
			.finally(() => clearTimeout(timer));
	}

	#cause(): string {
		return this.#lastError === undefined ? '' : ` (${this.#lastError.message})`;
	}

	/**
	 * Resolves when the connection is ready. A first connection (or one in progress) is waited for, by one shared
	 * promise with one listener however many calls wait; a client that is reconnecting after a failure fails at once.
	 */
	#ready(): Promise<void> {
		const { client } = this;
		if (client.status === 'reconnecting' || client.status === 'close' || client.status === 'end') {
			return Promise.reject(
				new StorageUnavailableError(`Redis is unavailable (connection ${client.status})${this.#cause()}.`),
			);
		}
		this.#connecting ??= new Promise<void>((resolve, reject) => {
			const settle = (error?: Error) => {
				client.off('ready', onReady);
				client.off('close', onClose);
				this.#connecting = undefined;
				if (error === undefined) resolve();
				else reject(error);
			};
			const onReady = () => settle();
			const onClose = () =>
				settle(new StorageUnavailableError(`Redis is unavailable (the connection closed)${this.#cause()}.`));
			client.on('ready', onReady);
			client.on('close', onClose);
			if (client.status === 'wait') void client.connect().catch(() => undefined);
		});
		return this.#connecting;
	}
}
