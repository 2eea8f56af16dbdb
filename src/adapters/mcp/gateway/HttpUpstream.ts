import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Channel, JsonRpcMessage } from './LineChannel.js';

/**
 * An upstream MCP server over Streamable HTTP. The SDK transport does the HTTP part (sessions, SSE streams,
 * resumption); the gateway only feeds it messages. Header values are sent, never logged.
 */
export class HttpUpstream implements Channel {
	onmessage?: (message: JsonRpcMessage, raw: string | undefined) => void;
	onclose?: () => void;
	readonly #transport: StreamableHTTPClientTransport;
	readonly #started: Promise<void>;

	constructor(url: URL, headers: Readonly<Record<string, string>>) {
		this.#transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...headers } } });
		this.#transport.onmessage = (message) => {
			// The protocol version negotiated at initialize goes on every later request, as the SDK client does.
			const version = (message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
			if (typeof version === 'string' && this.#transport.protocolVersion === undefined) this.#transport.setProtocolVersion(version);
			this.onmessage?.(message, undefined);
		};
		this.#transport.onclose = () => this.onclose?.();
		this.#started = this.#transport.start();
	}

	async send(message: JsonRpcMessage): Promise<void> {
		await this.#started;
		await this.#transport.send(message as unknown as JSONRPCMessage);
	}

	/** Ends the MCP session on the server (best effort, bounded) and closes the streams. */
	async close(graceMs = 500): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		const bounded = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
		await Promise.race([this.#transport.terminateSession().catch(() => undefined), bounded]);
		clearTimeout(timer);
		this.#transport.onclose = () => undefined;
		await this.#transport.close().catch(() => undefined);
	}
}
