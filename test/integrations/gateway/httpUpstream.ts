/** A small Streamable HTTP MCP server on loopback that demands a bearer token, for the gateway's HTTP tests. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface HttpUpstream {
	readonly url: string;
	/** The Authorization header values the server received. */
	readonly authorizations: string[];
	close(): Promise<void>;
}

function mcpServer(): McpServer {
	const server = new McpServer(
		{ name: 'http-fixture', version: '0.9.1', title: 'HTTP fixture' },
		{ instructions: 'Use echo.' },
	);
	server.registerTool(
		'echo',
		{ inputSchema: { message: z.string() }, annotations: { readOnlyHint: true } },
		({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
	);
	server.registerTool('ask', { inputSchema: {} }, async () => {
		// A server-to-client request: over HTTP it travels on the SSE stream, then through the gateway's stdio.
		const answer = await server.server.elicitInput({
			mode: 'form',
			message: 'Name?',
			requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
		});
		return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
	});
	server.registerResource('note', 'note://one', {}, () => ({ contents: [{ uri: 'note://one', text: 'a note' }] }));
	return server;
}

export async function startHttpUpstream(token: string): Promise<HttpUpstream> {
	const sessions = new Map<string, StreamableHTTPServerTransport>();
	const authorizations: string[] = [];
	const http: Server = createServer((req, res) => {
		authorizations.push(String(req.headers.authorization));
		if (req.headers.authorization !== `Bearer ${token}`) {
			res.writeHead(401).end('unauthorized');
			return;
		}
		const id = req.headers['mcp-session-id'];
		let transport = typeof id === 'string' ? sessions.get(id) : undefined;
		if (transport === undefined) {
			transport = new StreamableHTTPServerTransport({
				sessionIdGenerator: () => randomUUID(),
				onsessioninitialized: (sid) => void sessions.set(sid, transport as StreamableHTTPServerTransport),
			});
			void mcpServer().connect(transport);
		}
		void transport.handleRequest(req, res);
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const { port } = http.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/mcp`,
		authorizations,
		close: async () => {
			await Promise.all([...sessions.values()].map((t) => t.close()));
			http.closeAllConnections();
			await new Promise((resolve) => http.close(resolve));
		},
	};
}
