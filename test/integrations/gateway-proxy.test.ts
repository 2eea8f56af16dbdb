/**
 * toolwarden-mcp with the fixture server: cancellation reaches the upstream and is audited as a failed call, a
 * response over 10 MB passes, and the argv form the MCP Inspector CLI passes (no `--`) starts the upstream.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/adapters/mcp/index.js';
import { MemorySink, precondition, Verdict } from '../../src/index.js';
import {
	alive,
	auditEvents,
	auditPath,
	direct,
	FIXTURE,
	gatewayEnv,
	initialize,
	POLICY,
	spawnGateway,
	throughGateway,
} from './gateway/helpers.js';

const clients: Client[] = [];
afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});

async function connect(transport: Transport): Promise<Client> {
	const client = new Client({ name: 'e2e', version: '1.0.0' });
	clients.push(client);
	await client.connect(transport);
	return client;
}

async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('toolwarden-mcp in front of the fixture server', () => {
	it('forwards a cancellation upstream and audits the call as call_failed naming the cancellation', async () => {
		const audit = await auditPath();
		const marker = join(dirname(audit), 'marker');
		const client = await connect(throughGateway(FIXTURE, audit, { env: { TW_MARKER: marker } }));
		const abort = new AbortController();
		const progress: number[] = [];
		const call = client.callTool({ name: 'wait', arguments: {} }, CallToolResultSchema, {
			signal: abort.signal,
			onprogress: (p) => void progress.push(p.progress),
		});
		await until(async () => (await readFile(marker, 'utf8').catch(() => '')).includes('started'));
		// The progress sent before 'started' may still be on its way; the client drops progress after an abort.
		await until(() => Promise.resolve(progress.length === 3));
		abort.abort('the user pressed stop');
		await expect(call).rejects.toThrow();
		// The upstream's handler saw its own abort signal: the notifications/cancelled crossed the gateway.
		await until(async () => (await readFile(marker, 'utf8').catch(() => '')).includes('cancelled'));
		expect(await readFile(marker, 'utf8')).toBe('started\ncancelled\n');
		expect(progress).toEqual([1, 2, 3]);
		const events = await auditEvents(audit, 2);
		expect(events.map((e) => [e.toolName, e.action, e.sideEffect])).toEqual([
			['wait', 'call_allowed', 'irreversible'],
			['wait', 'call_failed', 'irreversible'],
		]);
		expect(events[1]?.error).toEqual({
			type: 'ToolCallCancelled',
			message: 'Cancelled by the client: the user pressed stop.',
		});
		// The gateway is still usable afterwards.
		expect(await client.callTool({ name: 'echo', arguments: { message: 'still here' } })).toEqual({
			content: [{ type: 'text', text: 'Echo: still here' }],
		});
	}, 30_000);

	it('passes a response over 10 MB unchanged', async () => {
		const bytes = 11 * 1024 * 1024;
		const audit = await auditPath();
		const gated = await (await connect(throughGateway(FIXTURE, audit))).callTool({ name: 'big', arguments: { bytes } });
		const directly = await (await connect(direct(FIXTURE))).callTool({ name: 'big', arguments: { bytes } });
		expect((gated.content as Array<{ text: string }>)[0]?.text.length).toBe(bytes);
		expect(gated).toEqual(directly);
		const events = await auditEvents(audit, 2);
		expect(events.map((e) => e.action)).toEqual(['call_allowed', 'call_executed']);
		expect(events[1]?.resultSummary?.length).toBeLessThan(10_000);
	}, 60_000);

	it("starts the upstream without `--`, as the Inspector CLI passes it (its options stay the upstream's)", async () => {
		const audit = await auditPath();
		// FIXTURE is `node --import tsx upstream.ts`: `--import` after the command belongs to the upstream.
		const client = await connect(throughGateway(FIXTURE, audit, { separator: false }));
		expect(client.getServerVersion()).toEqual({ name: 'gateway-fixture', version: '3.4.5' });
		expect(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).toEqual({
			content: [{ type: 'text', text: 'Echo: hi' }],
		});
	}, 30_000);
});

describe('toolwarden-mcp with a JSON-RPC batch (protocol 2025-03-26)', () => {
	it('governs each tools/call of a batch on its own', async () => {
		const gateway = spawnGateway(['--policy', POLICY, '--', ...FIXTURE], gatewayEnv(await auditPath()));
		try {
			await initialize(gateway);
			const call = (id: number, name: string) => ({
				jsonrpc: '2.0',
				id,
				method: 'tools/call',
				params: { name, arguments: { message: 'b' } },
			});
			gateway.child.stdin?.write(`${JSON.stringify([call(5, 'get-env'), call(6, 'echo')])}\n`);
			expect((await gateway.response(5))['result']).toMatchObject({
				isError: true,
				content: [{ text: expect.stringContaining('not allowed') }],
			});
			expect((await gateway.response(6))['result']).toEqual({ content: [{ type: 'text', text: 'Echo: b' }] });
		} finally {
			gateway.child.stdin?.end();
			await gateway.exited;
		}
	}, 30_000);
});

describe('startGateway in process', () => {
	it('a call cancelled while its precondition runs never reaches the upstream and is audited as cancelled', async () => {
		const sink = new MemorySink();
		let release: () => void = () => undefined;
		const slowRule = precondition(
			'echo',
			() => new Promise<Verdict>((resolve) => (release = () => resolve(Verdict.pass()))),
		);
		const input = new PassThrough();
		const output = new PassThrough();
		const [command, ...args] = FIXTURE as [string, ...string[]];
		const gateway = startGateway({ policy: { audit: sink, contracts: [slowRule] }, command, args, input, output });
		const lines: Array<Record<string, unknown>> = [];
		output.on('data', (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
		});
		const send = (message: object) => input.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
		const clientInfo = { name: 'raw', version: '1' };
		send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo } });
		await until(() => Promise.resolve(lines.some((l) => l['id'] === 1)));
		send({ method: 'notifications/initialized' });
		send({ id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'late' } } });
		send({ method: 'notifications/cancelled', params: { requestId: 2, reason: 'changed my mind' } });
		await new Promise((resolve) => setTimeout(resolve, 50));
		release();
		send({ id: 3, method: 'ping' });
		await until(() => Promise.resolve(lines.some((l) => l['id'] === 3)));
		await until(() => Promise.resolve(sink.events.length >= 2));
		expect(sink.events.map((e) => [e.toolName, e.action, e.error])).toEqual([
			['echo', 'call_allowed', null],
			['echo', 'call_failed', { type: 'ToolCallCancelled', message: 'Cancelled by the client: changed my mind.' }],
		]);
		// No answer to the cancelled request: the upstream never saw it.
		expect(lines.filter((l) => l['id'] === 2)).toEqual([]);
		input.end();
		expect(await gateway.closed).toEqual({ code: 0, reason: null });
		// Stopped by closed's time (a zombie until this process reaps it does not count as running).
		expect(gateway.upstreamPid).toEqual(expect.any(Number));
		expect(alive(gateway.upstreamPid as number)).toBe(false);
	}, 30_000);
});
