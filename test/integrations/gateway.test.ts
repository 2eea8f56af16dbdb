/**
 * toolwarden-mcp end to end: the real SDK client over stdio, through the gateway process, in front of the real
 * reference server (server-everything); each answer is compared with the same request sent to the server directly.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
	CallToolResultSchema,
	CreateMessageRequestSchema,
	CreateTaskResultSchema,
	ElicitRequestSchema,
	ListRootsRequestSchema,
	LoggingMessageNotificationSchema,
	type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, auditPath, direct, EVERYTHING, throughGateway } from './gateway/helpers.js';

const clients: Client[] = [];
afterEach(async () => {
	// Closing the client closes the gateway's stdin: the gateway then stops the upstream itself.
	await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});

/** A client declaring sampling, elicitation and roots, answering each request in a fixed way. */
async function connect(transport: Transport): Promise<Client> {
	const client = new Client(
		{ name: 'e2e', version: '1.0.0' },
		{ capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } } },
	);
	client.setRequestHandler(CreateMessageRequestSchema, (request) => ({
		model: 'test-model',
		role: 'assistant',
		content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
	}));
	client.setRequestHandler(ElicitRequestSchema, () => ({
		action: 'accept',
		content: { name: 'Ann', check: true, integer: 7 },
	}));
	client.setRequestHandler(ListRootsRequestSchema, () => ({
		roots: [{ uri: 'file:///tmp/project', name: 'project' }],
	}));
	clients.push(client);
	await client.connect(transport);
	return client;
}

/** Everything a client can ask server-everything that has a deterministic answer. */
async function session(client: Client): Promise<Record<string, unknown>> {
	const out: Record<string, unknown> = {};
	out['serverInfo'] = client.getServerVersion();
	out['capabilities'] = client.getServerCapabilities();
	out['instructions'] = client.getInstructions();
	// The conditional tools are registered after initialize; let the list settle.
	await new Promise((resolve) => setTimeout(resolve, 200));
	out['tools'] = (await client.listTools()).tools;
	for (const [name, args] of [
		['echo', { message: 'hello' }],
		['get-sum', { a: 2, b: 40 }],
		['get-structured-content', { location: 'New York' }],
		['get-tiny-image', {}],
		['get-annotated-message', { messageType: 'error', includeImage: true }],
		['trigger-sampling-request', { prompt: 'a haiku', maxTokens: 20 }],
		['trigger-elicitation-request', {}],
		['get-roots-list', {}],
	] as const) {
		out[`call ${name}`] = await client.callTool({ name, arguments: args });
	}
	const resources = await client.listResources();
	out['resources'] = resources;
	out['resource templates'] = await client.listResourceTemplates();
	out['read'] = await client.readResource({ uri: resources.resources[0]?.uri ?? '' });
	out['prompts'] = await client.listPrompts();
	out['prompt'] = await client.getPrompt({ name: 'simple-prompt' });
	out['completion'] = await client.complete({
		ref: { type: 'ref/prompt', name: 'completable-prompt' },
		argument: { name: 'department', value: 'En' },
	});
	out['setLevel'] = await client.setLoggingLevel('debug');
	out['ping'] = await client.ping();
	out['unknown method'] = await client
		.request({ method: 'no/such/method', params: {} }, CallToolResultSchema)
		.catch((error: Error) => error.message);
	return out;
}

describe('toolwarden-mcp in front of server-everything', () => {
	it('answers every request as the server does directly, with its capabilities, serverInfo, instructions', async () => {
		const audit = await auditPath();
		const directly = await session(await connect(direct(EVERYTHING)));
		const gated = await session(await connect(throughGateway(EVERYTHING, audit)));
		expect((directly['tools'] as unknown[]).length).toBeGreaterThanOrEqual(17);
		for (const key of Object.keys(directly)) expect({ [key]: gated[key] }).toEqual({ [key]: directly[key] });
		expect(gated['serverInfo']).toMatchObject({ name: 'mcp-servers/everything', title: 'Everything Reference Server' });
		expect(gated['instructions']).toEqual(expect.any(String));
		// The server-to-client requests really crossed the gateway (not the same error on both sides).
		expect(JSON.stringify(gated['call trigger-sampling-request'])).toContain('sampled:');
		expect(JSON.stringify(gated['call trigger-elicitation-request'])).toContain('Ann');
		expect(JSON.stringify(gated['call get-roots-list'])).toContain('file:///tmp/project');
		expect((gated['completion'] as { completion: { values: string[] } }).completion.values).toContain('Engineering');
	}, 60_000);

	it('governs tools/call: denials as isError, annotations as side effects, server identity in every event', async () => {
		const audit = await auditPath();
		const client = await connect(throughGateway(EVERYTHING, audit));
		await client.listTools();
		expect(await client.callTool({ name: 'get-env', arguments: {} })).toEqual({
			content: [{ type: 'text', text: 'Reading the environment is not allowed; ask the user for the value you need.' }],
			isError: true,
		});
		// A task-augmented call is governed before the task starts: denied, no task is created.
		const asTask = await client.request(
			{ method: 'tools/call', params: { name: 'get-env', arguments: {}, task: { ttl: 60_000 } } },
			CallToolResultSchema,
		);
		expect(asTask.isError).toBe(true);
		const task = await client.request(
			{
				method: 'tools/call',
				params: { name: 'simulate-research-query', arguments: { topic: 'bees' }, task: { ttl: 60_000 } },
			},
			CreateTaskResultSchema,
		);
		expect(task.task.taskId).toEqual(expect.any(String));
		await client.callTool({ name: 'echo', arguments: { message: 'x' } });
		await client.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
		await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
		await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
		const events = await auditEvents(audit, 12);
		expect(events.map((e) => [e.toolName, e.action, e.sideEffect])).toEqual([
			['get-env', 'call_denied', 'read'],
			['get-env', 'call_denied', 'read'],
			['simulate-research-query', 'call_allowed', 'write'],
			['simulate-research-query', 'call_executed', 'write'],
			['echo', 'call_allowed', 'read'],
			['echo', 'call_executed', 'read'],
			['get-sum', 'call_allowed', 'pure'],
			['get-sum', 'call_executed', 'pure'],
			['toggle-simulated-logging', 'call_allowed', 'write'],
			['toggle-simulated-logging', 'call_executed', 'write'],
			['toggle-simulated-logging', 'call_allowed', 'write'],
			['toggle-simulated-logging', 'call_executed', 'write'],
		]);
		for (const event of events)
			expect(event.metadata).toEqual({ mcpServer: { name: 'mcp-servers/everything', version: '2.0.0' } });
	}, 30_000);

	it('answers 50 concurrent calls, each with its own result, and audits each once', async () => {
		const audit = await auditPath();
		const client = await connect(throughGateway(EVERYTHING, audit));
		const calls = Array.from({ length: 50 }, (_, i) =>
			client.callTool({ name: 'echo', arguments: { message: `m${i}` } }),
		);
		expect(await Promise.all(calls)).toEqual(
			Array.from({ length: 50 }, (_, i) => ({ content: [{ type: 'text', text: `Echo: m${i}` }] })),
		);
		const events = await auditEvents(audit, 100);
		expect(
			events
				.filter((e) => e.action === 'call_executed')
				.map((e) => (e.toolArgs as { message: string }).message)
				.sort(),
		).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`).sort());
		expect(events.length).toBe(100);
	}, 30_000);

	it('forwards progress notifications and server logging to the client', async () => {
		const audit = await auditPath();
		const client = await connect(throughGateway(EVERYTHING, audit));
		const logs: unknown[] = [];
		client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
		await client.setLoggingLevel('debug');
		const progress: Progress[] = [];
		const result = await client.callTool(
			{ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 4 } },
			CallToolResultSchema,
			{
				onprogress: (p) => void progress.push(p),
			},
		);
		// The SDK client handles a notification a microtask late: a last progress read in the same chunk as the result
		// is dropped by the client itself (directly too), so only the first three are certain to be seen.
		expect(progress.map((p) => p.progress).slice(0, 3)).toEqual([1, 2, 3]);
		expect(result.content).toEqual([
			{ type: 'text', text: expect.stringContaining('Long running operation completed') },
		]);
		await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
		for (let i = 0; i < 60 && logs.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
		expect(logs.length).toBeGreaterThan(0);
	}, 30_000);
});
