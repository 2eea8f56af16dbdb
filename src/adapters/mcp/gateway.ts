import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Warden } from '../../warden/Warden.js';
import type { WardenOptions } from '../../warden/WardenOptions.js';
import { denialOf } from '../shared/governedExecute.js';
import { deniedResult, resultText } from './governMcpServer.js';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
	/** The Warden's options (a policy module's default export). */
	readonly policy: WardenOptions;
	/** The upstream MCP server command and its arguments. */
	readonly command: string;
	readonly args?: readonly string[];
	/** Environment of the upstream process. @default process.env */
	readonly env?: Record<string, string>;
	/** The client side; @default stdio of this process */
	readonly transport?: Transport;
}

/** A running gateway. */
export interface Gateway {
	readonly warden: Warden;
	/** Resolves when the client disconnected and the gateway shut down (audit flushed, upstream closed). */
	readonly closed: Promise<void>;
	close(): Promise<void>;
}

/**
 * Starts an MCP gateway: it starts the upstream MCP server command, passes `tools/list` through, governs every
 * `tools/call` with a Warden built from `policy`, and answers denials as tool results with `isError: true` so the model
 * can adapt. When the client disconnects, audit sinks are flushed and closed and the upstream is stopped.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
	const warden = new Warden(options.policy);
	const upstream = new Client({ name: 'toolwarden-mcp', version: '1.0.0' });
	const upstreamTransport = new StdioClientTransport({ command: options.command, args: [...(options.args ?? [])], env: options.env ?? (process.env as Record<string, string>), stderr: 'inherit' });
	await upstream.connect(upstreamTransport);
	const info = upstream.getServerVersion();
	const server = new Server({ name: `toolwarden-mcp (${info?.name ?? 'upstream'})`, version: info?.version ?? '1.0.0' }, { capabilities: { tools: {} } });

	server.setRequestHandler(ListToolsRequestSchema, (request) => upstream.listTools(request.params));
	server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
		const { name, arguments: args = {} } = request.params;
		const call = await warden.begin(name, args, { callId: String(extra.requestId) });
		if (call.replayed) return call.result as Record<string, unknown>;
		if (!call.allowed) return deniedResult(denialOf(call).reason);
		let result: Awaited<ReturnType<Client['callTool']>>;
		try {
			result = await call.withSpan(() => upstream.callTool({ name, arguments: call.envelope.args }));
		} catch (error) {
			await call.fail(error);
			throw error;
		}
		if (result.isError === true) await call.fail(new Error(resultText(result) || 'The upstream tool returned an error result.'));
		else await call.succeed(result);
		return result;
	});

	let resolveClosed: () => void = () => undefined;
	const closed = new Promise<void>((resolve) => {
		resolveClosed = resolve;
	});
	let closing: Promise<void> | undefined;
	const close = () => {
		closing ??= (async () => {
			await warden.close().catch(() => undefined);
			await upstream.close().catch(() => undefined);
			resolveClosed();
		})();
		return closing;
	};
	server.onclose = () => void close();
	upstream.onclose = () => void server.close().catch(() => undefined);
	await server.connect(options.transport ?? new StdioServerTransport());
	return { warden, closed, close };
}
