import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, precondition, Verdict, Warden, type AuditEvent } from '../../src/index.js';
import { governMcpServer } from '../../src/adapters/mcp/index.js';

async function connected(server: McpServer): Promise<Client> {
	const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
	await server.connect(serverSide);
	const client = new Client({ name: 'test-client', version: '1.0.0' });
	await client.connect(clientSide);
	return client;
}

describe('toolwarden/mcp: governMcpServer', () => {
	it('governs tools registered before and after, answers denials with isError, uses the request id as callId', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [
				precondition('delete_file', () => Verdict.fail('Deleting is not allowed; move the file to trash/ instead.')),
			],
		});
		const server = new McpServer({ name: 'files', version: '1.0.0' });
		let reads = 0;
		server.registerTool(
			'read_file',
			{ inputSchema: { path: z.string() } },
			({ path }) => (reads++, { content: [{ type: 'text', text: `contents of ${path}` }] }),
		);
		governMcpServer(warden, server);
		server.registerTool('delete_file', { inputSchema: { path: z.string() } }, () => ({
			content: [{ type: 'text', text: 'deleted' }],
		}));
		server.registerTool('ping', { description: 'no input schema' }, () => ({
			content: [{ type: 'text', text: 'pong' }],
		}));
		const client = await connected(server);

		expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['delete_file', 'ping', 'read_file']);
		expect(await client.callTool({ name: 'read_file', arguments: { path: 'a.txt' } })).toMatchObject({
			content: [{ type: 'text', text: 'contents of a.txt' }],
		});
		const denied = await client.callTool({ name: 'delete_file', arguments: { path: 'a.txt' } });
		expect(denied).toEqual({
			content: [{ type: 'text', text: 'Deleting is not allowed; move the file to trash/ instead.' }],
			isError: true,
		});
		expect(await client.callTool({ name: 'ping', arguments: {} })).toMatchObject({ content: [{ text: 'pong' }] });
		expect(reads).toBe(1);
		expect(sink.events.map((e) => [e.toolName, e.action])).toEqual([
			['read_file', 'call_allowed'],
			['read_file', 'call_executed'],
			['delete_file', 'call_denied'],
			['ping', 'call_allowed'],
			['ping', 'call_executed'],
		]);
		expect(sink.events[0]?.callId).toMatch(/^\d+$/);
		await client.close();
	});

	it('re-governs a callback replaced by update(), and audits an isError result as a failure', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			mode: 'observe',
			contracts: [precondition('*', () => Verdict.fail('observed only'))],
		});
		const server = governMcpServer(warden, new McpServer({ name: 's', version: '1' }));
		const tool = server.registerTool('t', { inputSchema: {} }, () => ({ content: [{ type: 'text', text: 'v1' }] }));
		tool.update({ callback: () => ({ content: [{ type: 'text', text: 'broken' }], isError: true }) });
		const client = await connected(server);
		const result = await client.callTool({ name: 't', arguments: {} });
		expect(result).toMatchObject({ isError: true, content: [{ text: 'broken' }] });
		expect(sink.events.map((e) => e.action)).toEqual(['call_would_deny', 'call_failed']);
		expect(sink.events[1]?.error).toEqual({ type: 'Error', message: 'broken' });
		expect(governMcpServer(warden, server)).toBe(server); // idempotent
		await client.close();
	});
});

describe('toolwarden-mcp gateway (end to end over stdio)', () => {
	it('passes tools/list through, governs tools/call, answers denials as isError results, flushes audit on disconnect', async () => {
		const root = fileURLToPath(new URL('../../', import.meta.url));
		const auditPath = join(await mkdtemp(join(tmpdir(), 'tw-gw-')), 'audit.jsonl');
		const transport = new StdioClientTransport({
			command: process.execPath,
			args: [
				'--import',
				'tsx',
				'src/adapters/mcp/cli.ts',
				'--policy',
				'test/integrations/fixtures/mcp-policy.ts',
				'--',
				process.execPath,
				'--import',
				'tsx',
				'test/integrations/fixtures/mcp-upstream.ts',
			],
			cwd: root,
			env: { ...(process.env as Record<string, string>), TW_AUDIT_PATH: auditPath },
			stderr: 'pipe',
		});
		const client = new Client({ name: 'e2e-client', version: '1.0.0' });
		await client.connect(transport);
		expect(client.getServerVersion()?.name).toContain('files-upstream');
		const { tools } = await client.listTools();
		expect(tools.map((t) => [t.name, t.description])).toEqual([
			['read_file', 'Read a file'],
			['fail', 'Always fails'],
		]);
		expect(await client.callTool({ name: 'read_file', arguments: { path: 'README.md' } })).toMatchObject({
			content: [{ type: 'text', text: 'contents of README.md' }],
		});
		expect(await client.callTool({ name: 'read_file', arguments: { path: '/app/.env' } })).toEqual({
			content: [{ type: 'text', text: 'Reading .env files is not allowed. Ask the user for the value.' }],
			isError: true,
		});
		expect(await client.callTool({ name: 'fail', arguments: {} })).toMatchObject({
			isError: true,
			content: [{ text: 'upstream exploded' }],
		});
		await client.close();
		// The gateway flushes its audit sinks when the client disconnects.
		let lines: AuditEvent[] = [];
		for (let i = 0; i < 50 && lines.length < 5; i++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			lines = (await readFile(auditPath, 'utf8').catch(() => ''))
				.trim()
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l) as AuditEvent);
		}
		expect(lines.map((e) => [e.toolName, e.action])).toEqual([
			['read_file', 'call_allowed'],
			['read_file', 'call_executed'],
			['read_file', 'call_denied'],
			['fail', 'call_allowed'],
			['fail', 'call_failed'],
		]);
	}, 60_000);
});
