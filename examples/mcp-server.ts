/**
 * MCP: governMcpServer() governs the tools of an McpServer you own; a real MCP client talks to it in memory.
 * (For any other MCP server, put the toolwarden-mcp gateway in front: see examples/mcp-gateway/.)
 * Run: npx tsx examples/mcp-server.ts
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { denySensitiveReads, Warden } from 'toolwarden';
import { governMcpServer } from 'toolwarden/mcp';
import { z } from 'zod';
import { runIfMain } from './run-main.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const server = new McpServer({ name: 'files', version: '1.0.0' });
	server.registerTool('read_file', { description: 'Read a file', inputSchema: { path: z.string() } }, ({ path }) => ({
		content: [{ type: 'text', text: `contents of ${path}` }],
	}));
	governMcpServer(new Warden({ contracts: [denySensitiveReads()] }), server);

	const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
	await server.connect(serverSide);
	const client = new Client({ name: 'example', version: '1.0.0' });
	await client.connect(clientSide);
	for (const path of ['README.md', '/home/ann/.ssh/id_rsa']) {
		const result = (await client.callTool({ name: 'read_file', arguments: { path } })) as {
			content: Array<{ text: string }>;
			isError?: boolean;
		};
		log(`read_file ${path} → ${result.isError === true ? 'isError: ' : ''}${result.content[0]?.text ?? ''}`);
	}
	await client.close();
}

runIfMain(import.meta.url, main);
