import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that delays the traffic it forwards by `delayMs` (changeable at any time), in both
 * directions and in order: a slow network to Redis, for the timeout tests.
 */
export class DelayProxy {
	/** Delay added to every chunk forwarded from now on. */
	delayMs = 0;
	port = 0;
	readonly #sockets = new Set<Socket>();
	readonly #server = createServer((client) => {
		const upstream = connect(this.targetPort, '127.0.0.1');
		for (const socket of [client, upstream]) {
			this.#sockets.add(socket);
			socket.on('close', () => this.#sockets.delete(socket));
			socket.on('error', () => undefined);
		}
		this.#forward(client, upstream);
		this.#forward(upstream, client);
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});

	private constructor(readonly targetPort: number) {}

	/** Starts a proxy to `127.0.0.1:targetPort` on a free loopback port. */
	static async start(targetPort: number): Promise<DelayProxy> {
		const proxy = new DelayProxy(targetPort);
		await new Promise<void>((resolve, reject) => {
			proxy.#server.once('error', reject);
			proxy.#server.listen(0, '127.0.0.1', () => resolve());
		});
		const address = proxy.#server.address();
		proxy.port = typeof address === 'object' && address !== null ? address.port : 0;
		return proxy;
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	async stop(): Promise<void> {
		for (const socket of this.#sockets) socket.destroy();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	/** Forwards `from` to `to`, each chunk released `delayMs` after it arrived, never before an earlier one. */
	#forward(from: Socket, to: Socket): void {
		const queue: { at: number; chunk: Buffer }[] = [];
		let timer: NodeJS.Timeout | undefined;
		const pump = () => {
			timer = undefined;
			const now = Date.now();
			for (let next = queue[0]; next !== undefined && next.at <= now; next = queue[0]) {
				queue.shift();
				if (!to.destroyed) to.write(next.chunk);
			}
			if (queue[0] !== undefined) timer = setTimeout(pump, queue[0].at - now);
		};
		from.on('data', (chunk: Buffer) => {
			queue.push({ at: Math.max(Date.now() + this.delayMs, queue.at(-1)?.at ?? 0), chunk });
			timer ??= setTimeout(pump, Math.max(0, (queue[0]?.at ?? 0) - Date.now()));
		});
		from.on('close', () => clearTimeout(timer));
	}
}
