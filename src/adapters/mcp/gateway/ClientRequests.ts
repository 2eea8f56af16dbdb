import type { Channel, JsonRpcMessage } from './LineChannel.js';

/**
 * The prefix of the ids of the gateway's own requests to its client. The upstream server also sends requests to the
 * client (sampling, elicitation, roots), and the client answers each by its id: a string prefix no server uses keeps
 * the two apart, so the gateway can take its answers and pass every other one upstream.
 */
const PREFIX = 'toolwarden-mcp/';

/** A JSON-RPC error answer from the client to one of the gateway's requests. */
export class ClientRequestError extends Error {
	override readonly name = 'ClientRequestError';
}

/** Requests the gateway itself sends to its client (an elicitation for a held call), and their answers. */
export class ClientRequests {
	readonly #client: Channel;
	readonly #waiting = new Map<string, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
	#next = 0;

	constructor(client: Channel) {
		this.#client = client;
	}

	/** Whether a message from the client answers one of the gateway's requests (it must then not go upstream). */
	owns(message: JsonRpcMessage): boolean {
		const { id } = message;
		return message['method'] === undefined && typeof id === 'string' && id.startsWith(PREFIX);
	}

	/** Takes the client's answer to one of the gateway's requests (an unknown or late one is dropped). */
	answer(message: JsonRpcMessage): void {
		const id = message['id'] as string;
		const waiting = this.#waiting.get(id);
		if (waiting === undefined) return;
		this.#waiting.delete(id);
		const error = message['error'] as { code?: unknown; message?: unknown } | undefined;
		if (error === undefined) waiting.resolve(message['result']);
		else waiting.reject(new ClientRequestError(`MCP error ${String(error.code)}: ${String(error.message)}`));
	}

	/**
	 * Sends a request to the client and resolves with its result. When `signal` aborts, the client is told (a
	 * `notifications/cancelled`, so its prompt can close) and the promise rejects with the signal's reason.
	 */
	request(method: string, params: object, signal: AbortSignal): Promise<unknown> {
		signal.throwIfAborted();
		const id = `${PREFIX}${++this.#next}`;
		return new Promise((resolve, reject) => {
			const stop = (): void => {
				if (!this.#waiting.delete(id)) return;
				void this.#client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id } });
				reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
			};
			const done =
				<T>(settle: (value: T) => void) =>
				(value: T): void => {
					signal.removeEventListener('abort', stop);
					settle(value);
				};
			this.#waiting.set(id, { resolve: done(resolve), reject: done(reject) });
			signal.addEventListener('abort', stop, { once: true });
			void this.#client.send({ jsonrpc: '2.0', id, method, params });
		});
	}
}
