/**
 * toolwarden-mcp with the fixture server: cancellation reaches the upstream and is audited as a failed call, a
 * response over 10 MB passes, and the argv form the MCP Inspector CLI passes (no `--`) starts the upstream.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, auditPath, direct, FIXTURE, throughGateway } from './gateway/helpers.js';

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
