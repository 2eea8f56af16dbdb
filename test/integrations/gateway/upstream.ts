/**
 * A stdio MCP server for the gateway's tests of what the reference servers do not exercise: a huge result, a call
 * that waits to be cancelled, a server that dies, a server that starts a child process of its own.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const marker = process.env['TW_MARKER'];
const pidsFile = process.env['TW_PIDS_FILE'];
if (pidsFile !== undefined) {
	// A child in the server's own process group: stopping the gateway must stop it too.
	const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
	writeFileSync(pidsFile, `${process.pid} ${String(child.pid)}`);
}

const server = new McpServer({ name: 'gateway-fixture', version: '3.4.5' });
server.registerTool(
	'echo',
	{ inputSchema: { message: z.string() }, annotations: { readOnlyHint: true } },
	({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
);
server.registerTool('big', { inputSchema: { bytes: z.number() } }, ({ bytes }) => ({
	content: [{ type: 'text', text: 'x'.repeat(bytes) }],
}));
server.registerTool('wait', { inputSchema: {}, annotations: { destructiveHint: false } }, async (_args, extra) => {
	const token = extra._meta?.progressToken;
	if (token !== undefined) {
		for (let progress = 1; progress <= 3; progress++)
			await extra.sendNotification({
				method: 'notifications/progress',
				params: { progressToken: token, progress, total: 3 },
			});
	}
	if (marker !== undefined) appendFileSync(marker, 'started\n');
	await new Promise<void>((resolve) => {
		if (extra.signal.aborted) resolve();
		extra.signal.addEventListener('abort', () => resolve());
	});
	// Only a cancellation forwarded by the gateway reaches this line.
	if (marker !== undefined) appendFileSync(marker, 'cancelled\n');
	return { content: [{ type: 'text', text: 'cancelled' }] };
});
server.registerTool('die', { inputSchema: {} }, () => process.exit(3));
await server.connect(new StdioServerTransport());
