/**
 * toolwarden-mcp in front of a Streamable HTTP upstream on loopback: the same answers as a direct HTTP client, the
 * auth header taken from the environment (`${VAR}`) and never printed, an unreachable server reported on stderr.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, auditPath, CLI, gatewayEnv, initialize, POLICY, ROOT, spawnGateway } from './gateway/helpers.js';
import { startHttpUpstream, type HttpUpstream } from './gateway/httpUpstream.js';

const TOKEN = 'tw-test-token-8f3a1c';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function upstream(): Promise<HttpUpstream> {
	const server = await startHttpUpstream(TOKEN);
	cleanups.push(() => server.close());
	return server;
}

async function connect(transport: Transport): Promise<Client> {
	const client = new Client({ name: 'e2e', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
	client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ann' } }));
	cleanups.push(() => client.close());
	await client.connect(transport);
	return client;
}

async function session(client: Client): Promise<unknown[]> {
	return [
		client.getServerVersion(),
		client.getServerCapabilities(),
		client.getInstructions(),
		(await client.listTools()).tools,
		await client.callTool({ name: 'echo', arguments: { message: 'over http' } }),
		await client.callTool({ name: 'ask', arguments: {} }),
		await client.readResource({ uri: 'note://one' }),
	];
}

describe('toolwarden-mcp in front of a Streamable HTTP upstream', () => {
	it('answers as the server does directly; the header comes from ${VAR} and is never printed', async () => {
		const server = await upstream();
		const audit = await auditPath();
		const directly = await session(
			await connect(
				new StreamableHTTPClientTransport(new URL(server.url), {
					requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
				}),
			),
		);
		const [bin, ...args] = CLI as [string, ...string[]];
		const transport = new StdioClientTransport({
			command: bin,
			args: [...args, '--policy', POLICY, '--url', server.url, '--header', 'Authorization: Bearer ${TW_TOKEN}'],
			cwd: ROOT,
			env: gatewayEnv(audit, { TW_TOKEN: TOKEN }),
			stderr: 'pipe',
		});
		let stderr = '';
		transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const gated = await session(await connect(transport));
		expect(gated).toEqual(directly);
		expect(JSON.stringify(gated[5])).toContain('Ann');
		expect(server.authorizations.every((value) => value === `Bearer ${TOKEN}`)).toBe(true);
		const events = await auditEvents(audit, 4);
		expect(events.map((e) => [e.toolName, e.action, e.sideEffect])).toEqual([
			['echo', 'call_allowed', 'read'],
			['echo', 'call_executed', 'read'],
			['ask', 'call_allowed', 'irreversible'],
			['ask', 'call_executed', 'irreversible'],
		]);
		expect(events[0]?.metadata).toEqual({ mcpServer: { name: 'http-fixture', version: '0.9.1' } });
		expect(stderr).not.toContain(TOKEN);
		expect(JSON.stringify(events)).not.toContain(TOKEN);
	}, 30_000);

	it('exits 1 with a stderr line naming the server (not the header) when it cannot be reached', async () => {
		const gateway = spawnGateway(
			['--policy', POLICY, '--url', 'http://127.0.0.1:9/mcp', '--header', 'Authorization: Bearer ${TW_TOKEN}'],
			gatewayEnv(await auditPath(), { TW_TOKEN: TOKEN }),
		);
		cleanups.push(async () => gateway.child.kill('SIGKILL'));
		void initialize(gateway);
		const exit = await gateway.exited;
		expect(exit.code).toBe(1);
		expect(gateway.stderr()).toContain('toolwarden-mcp: could not reach the upstream server at http://127.0.0.1:9/mcp');
		expect(gateway.stderr()).not.toContain(TOKEN);
	}, 30_000);

	it('exits 2 when a ${VAR} of a header is not set, naming the variable only', async () => {
		const gateway = spawnGateway(
			['--policy', POLICY, '--url', 'http://127.0.0.1:9/mcp', '--header', 'Authorization: Bearer ${TW_MISSING}'],
			gatewayEnv(await auditPath()),
		);
		cleanups.push(async () => gateway.child.kill('SIGKILL'));
		expect((await gateway.exited).code).toBe(2);
		expect(gateway.stderr()).toContain(
			'--header Authorization reads ${TW_MISSING}, which is not set in the environment.',
		);
	}, 30_000);
});
