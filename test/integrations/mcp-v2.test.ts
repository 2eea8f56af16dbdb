import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport as InMemoryV1 } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport as InMemoryV2, McpServer as McpServerV2 } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, MemorySink, precondition, sideEffectLedger, Verdict, Warden } from '../../src/index.js';
import { governMcpServer } from '../../src/adapters/mcp/index.js';

type Text = { content: Array<{ type: 'text'; text: string }> };
const text = (t: string): Text => ({ content: [{ type: 'text', text: t }] });
/** Both SDKs' McpServer, typed loosely enough to register the same tools on either. */
interface AnyServer {
	registerTool(name: string, config: object, cb: (...a: never[]) => unknown): { update(u: object): void };
	connect(transport: never): Promise<void>;
}

// Real servers of both majors, real in-memory transports, a real client (SDK v1's; v2 publishes no client package).
const sdks = [
	{
		sdk: 'v1 (@modelcontextprotocol/sdk)',
		make: () => new McpServerV1({ name: 's', version: '1' }) as unknown as AnyServer,
		pair: () => InMemoryV1.createLinkedPair(),
	},
	{
		sdk: 'v2 (@modelcontextprotocol/server)',
		make: () => new McpServerV2({ name: 's', version: '1' }) as unknown as AnyServer,
		pair: () => InMemoryV2.createLinkedPair(),
	},
] as const;

describe.each(sdks)('governMcpServer on SDK $sdk', ({ make, pair }) => {
	async function connect(server: AnyServer): Promise<Client> {
		const [clientSide, serverSide] = pair();
		await server.connect(serverSide as never);
		const client = new Client({ name: 'test', version: '1' });
		await client.connect(clientSide);
		return client;
	}
	const noDelete = precondition('delete_file', () =>
		Verdict.fail('Deleting is not allowed; move it to trash/ instead.'),
	);

	it('governs tools registered before and after; denials are isError results; the request id is the callId', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, contracts: [noDelete] });
		const server = make();
		let runs = 0;
		server.registerTool(
			'read_file',
			{ inputSchema: { path: z.string() } },
			({ path }: { path: string }) => (runs++, text(`contents of ${path}`)),
		);
		expect(governMcpServer(warden, server)).toBe(server);
		server.registerTool('delete_file', { inputSchema: { path: z.string() } }, () => (runs++, text('deleted')));
		server.registerTool('ping', { description: 'no input schema' }, () => (runs++, text('pong')));
		const client = await connect(server);

		expect(await client.callTool({ name: 'read_file', arguments: { path: 'a.txt' } })).toMatchObject(
			text('contents of a.txt'),
		);
		expect(await client.callTool({ name: 'delete_file', arguments: { path: 'a.txt' } })).toEqual({
			...text('Deleting is not allowed; move it to trash/ instead.'),
			isError: true,
		});
		expect(await client.callTool({ name: 'ping', arguments: {} })).toMatchObject(text('pong'));
		expect(runs).toBe(2);
		expect(sink.events.map((e) => [e.toolName, e.action])).toEqual([
			['read_file', 'call_allowed'],
			['read_file', 'call_executed'],
			['delete_file', 'call_denied'],
			['ping', 'call_allowed'],
			['ping', 'call_executed'],
		]);
		expect(sink.events.map((e) => e.callId).every((id) => /^\d+$/.test(id))).toBe(true);
		await client.close();
	});

	it('MCP annotations give the side-effect class; only declared side effects are replayed by the ledger', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, contracts: [sideEffectLedger()] });
		const server = governMcpServer(warden, make());
		const runs: Record<string, number> = {};
		const counting = (name: string) => (() => text(`${name} #${(runs[name] = (runs[name] ?? 0) + 1)}`)) as never;
		server.registerTool('list', { inputSchema: {}, annotations: { readOnlyHint: true } }, counting('list'));
		server.registerTool(
			'mkdir',
			{ inputSchema: {}, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true } },
			counting('mkdir'),
		);
		server.registerTool('rm', { inputSchema: {}, annotations: { destructiveHint: true } }, counting('rm'));
		server.registerTool('job_status', { inputSchema: {} }, counting('job_status'));
		const client = await connect(server);
		for (const name of ['list', 'mkdir', 'rm', 'job_status'])
			for (let i = 0; i < 2; i++) await client.callTool({ name, arguments: {} });

		expect(runs).toEqual({ list: 2, mkdir: 1, rm: 1, job_status: 2 });
		const classes = Object.fromEntries(sink.events.map((e) => [e.toolName, e.sideEffect]));
		expect(classes).toEqual({ list: 'read', mkdir: 'write', rm: 'irreversible', job_status: 'irreversible' });
		expect((await warden.report()).sideEffects.prevented).toBe(2);
		await client.close();
	});

	it('a callback replaced by update(), and a renamed tool, stay governed', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, contracts: [precondition('renamed', () => Verdict.fail('no'))] });
		const server = make();
		const tool = server.registerTool('t', { inputSchema: {} }, () => text('v1'));
		governMcpServer(warden, server);
		tool.update({ callback: () => ({ ...text('broken'), isError: true }) });
		const client = await connect(server);
		expect(await client.callTool({ name: 't', arguments: {} })).toMatchObject({
			isError: true,
			content: [{ text: 'broken' }],
		});
		expect(sink.events.map((e) => e.action)).toEqual(['call_allowed', 'call_failed']);
		tool.update({ name: 'renamed', callback: () => text('v3') });
		expect(await client.callTool({ name: 'renamed', arguments: {} })).toMatchObject({
			isError: true,
			content: [{ text: 'no' }],
		});
		expect(sink.events.at(-1)).toMatchObject({ toolName: 'renamed', action: 'call_denied' });
		await client.close();
	});

	it('is idempotent: governing twice governs each call once', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink });
		const server = make();
		server.registerTool('t', { inputSchema: {} }, () => text('ok'));
		governMcpServer(warden, governMcpServer(warden, server));
		const client = await connect(server);
		await client.callTool({ name: 't', arguments: {} });
		expect(sink.events.map((e) => e.action)).toEqual(['call_allowed', 'call_executed']);
		await client.close();
	});
});

describe('governMcpServer never passes through ungoverned', () => {
	const warden = new Warden();

	it.each([
		['a plain object', {}],
		[
			'a registry without a dispatch method (SDK v1 < 1.24 calls tool.callback inline)',
			{ _registeredTools: {}, registerTool() {} },
		],
		[
			'a dispatch that calls neither handler nor executor',
			{
				_registeredTools: {},
				registerTool() {},
				executeToolHandler: (tool: { callback: () => void }) => tool.callback?.(),
			},
		],
	])('%s: ConfigError', (_what, server) => {
		expect(() => governMcpServer(warden, server as never)).toThrow(ConfigError);
	});

	it('a v1 task-based tool (its work runs outside the call) is a ConfigError, registered before or after', () => {
		const taskHandler = { createTask: () => ({}), getTask: () => ({}), getTaskResult: () => ({}) };
		const before = new McpServerV1(
			{ name: 's', version: '1' },
			{ capabilities: { tools: {}, tasks: { requests: { tools: { call: {} } } } } },
		);
		before.experimental.tasks.registerToolTask('long', { inputSchema: {} }, taskHandler as never);
		expect(() => governMcpServer(warden, before)).toThrow(/task-based tool/);

		const after = governMcpServer(
			warden,
			new McpServerV1(
				{ name: 's', version: '1' },
				{ capabilities: { tools: {}, tasks: { requests: { tools: { call: {} } } } } },
			),
		);
		expect(() => after.experimental.tasks.registerToolTask('long', { inputSchema: {} }, taskHandler as never)).toThrow(
			ConfigError,
		);
	});

	it('the server dispatches to the installed runner (v2 captures the handler in a closure)', async () => {
		const server = new McpServerV2({ name: 's', version: '1' });
		let ran = false;
		server.registerTool('t', { inputSchema: z.object({}) }, () => ((ran = true), text('ran')));
		governMcpServer(new Warden({ contracts: [precondition('t', () => Verdict.fail('denied'))] }), server);
		// The SDK's own dispatch path, as tools/call uses it.
		const tool = (server as unknown as { _registeredTools: Record<string, object> })._registeredTools['t'];
		const result = await (
			server as unknown as { executeToolHandler(t: object, a: object, c: object): Promise<unknown> }
		).executeToolHandler(tool as object, {}, { mcpReq: { id: 7 } });
		expect(result).toMatchObject({ isError: true, content: [{ text: 'denied' }] });
		expect(ran).toBe(false);
	});
});
