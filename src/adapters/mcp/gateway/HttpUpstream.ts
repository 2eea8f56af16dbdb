import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Channel, JsonRpcMessage } from './LineChannel.js';

/**
 * An upstream MCP server over Streamable HTTP. The SDK transport does the HTTP part (sessions, SSE streams,
 * resumption); the gateway only feeds it messages. The SDK is loaded on first use, so a stdio gateway does not need
 * it installed. Header values are sent, never logged.
 */
export class HttpUpstream implements Channel {
	onmessage?: (message: JsonRpcMessage, raw: string | undefined) => void;
	onclose?: () => void;
	readonly #transport: Promise<StreamableHTTPClientTransport>;

	constructor(url: URL, headers: Readonly<Record<string, string>>) {
		this.#transport = this.#start(url, headers);
		// A failure to load or start surfaces on the first send (the client's initialize), not as an unhandled rejection.
		this.#transport.catch(() => undefined);
	}

	async #start(url: URL, headers: Readonly<Record<string, string>>): Promise<StreamableHTTPClientTransport> {
		const sdk = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
		const transport = new sdk.StreamableHTTPClientTransport(url, { requestInit: { headers: { ...headers } } });
		transport.onmessage = (message) => {
			// The protocol version negotiated at initialize goes on every later request, as the SDK client does.
			const version = (message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
			if (typeof version === 'string' && transport.protocolVersion === undefined) transport.setProtocolVersion(version);
			this.onmessage?.(message, undefined);
		};
		transport.onclose = () => this.onclose?.();
		await transport.start();
		return transport;
	}

	async send(message: JsonRpcMessage): Promise<void> {
		await (await this.#transport).send(message as unknown as JSONRPCMessage);
	}

	/** Ends the MCP session on the server (best effort, bounded) and closes the streams. */
	async close(graceMs = 500): Promise<void> {
		const transport = await this.#transport.catch(() => undefined);
		if (transport === undefined) return;
		let timer: NodeJS.Timeout | undefined;
		const bounded = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
		await Promise.race([transport.terminateSession().catch(() => undefined), bounded]);
		clearTimeout(timer);
		transport.onclose = () => undefined;
		await transport.close().catch(() => undefined);
	}
}
