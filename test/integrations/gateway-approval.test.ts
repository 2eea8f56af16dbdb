/**
 * Held calls in toolwarden-mcp (API §10): the real SDK client over stdio, through the gateway process, in front of the
 * real server-everything, with a policy that holds `echo`. A client that declared elicitation is asked (MCP
 * `elicitation/create`); one that did not gets a denial naming the pending approval, approved out of band in Redis.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/adapters/mcp/gateway/parseArgs.js';
import { MemorySink, Warden } from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { RedisServer, redisAvailable } from '../redis/redisServer.js';
import { alive, auditEvents, auditPath, CLI, direct, EVERYTHING, gatewayEnv, ROOT } from './gateway/helpers.js';

const POLICY = 'test/integrations/gateway/approvalPolicy.ts';
const clients: Client[] = [];
afterEach(async () => {
	// Closing a client closes its gateway's stdin: the gateway stops the upstream and exits.
	await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});

type Answer = (request: ElicitRequest, signal: AbortSignal) => ElicitResult | Promise<ElicitResult>;

/** A client of the gateway (with `answer`, it declares elicitation and answers the gateway's and the server's asks). */
async function connect(audit: string, answer?: Answer, env: Record<string, string> = {}): Promise<Client> {
	const [bin, ...args] = CLI as [string, ...string[]];
	const transport = new StdioClientTransport({
		command: bin,
		args: [...args, '--policy', POLICY, '--approver', 'ops-desk', '--', ...EVERYTHING],
		cwd: ROOT,
		env: gatewayEnv(audit, env),
		stderr: 'ignore',
	});
	const capabilities = answer === undefined ? {} : { elicitation: {} };
	const client = new Client({ name: 'approval-e2e', version: '1.0.0' }, { capabilities });
	if (answer !== undefined)
		client.setRequestHandler(ElicitRequestSchema, (request, extra) => answer(request, extra.signal));
	clients.push(client);
	await client.connect(transport);
	return client;
}

/** The same call sent to server-everything directly. */
async function directly(name: string, args: Record<string, unknown>): Promise<unknown> {
	const client = new Client({ name: 'direct', version: '1.0.0' });
	clients.push(client);
	await client.connect(direct(EVERYTHING));
	return client.callTool({ name, arguments: args });
}

const isApproval = (request: ElicitRequest): boolean =>
	JSON.stringify(request.params).includes('"approve"') && request.params.message.includes('Echoing needs a person.');
const text = (result: unknown): string => (result as { content: Array<{ text?: string }> }).content[0]?.text ?? '';
const trail = (events: Awaited<ReturnType<typeof auditEvents>>) =>
	events.map((e) => [e.action, e.approver, e.approvalId === undefined ? undefined : 'id']);

describe('toolwarden-mcp: held calls through MCP elicitation', { timeout: 30_000 }, () => {
	it('approved in the client: recorded as the --approver, forwarded once, the result identical to direct', async () => {
		const audit = await auditPath();
		const asked: ElicitRequest[] = [];
		let approve = true;
		const client = await connect(audit, (request) => {
			if (!isApproval(request)) return { action: 'accept', content: { name: 'Ann', check: true, integer: 7 } };
			asked.push(request);
			return { action: 'accept', content: { approve } };
		});
		const result = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
		expect(result).toEqual(await directly('echo', { message: 'hello' }));
		expect(asked).toHaveLength(1);
		expect(asked[0]?.params.message).toContain('Tool: echo\nArguments: {"message":"hello"}');
		expect(asked[0]?.params).toMatchObject({
			requestedSchema: { properties: { approve: { type: 'boolean' } }, required: ['approve'] },
		});
		// The upstream's own elicitation still reaches the client and its answer the upstream, beside the gateway's.
		const upstreamAsk = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
		expect(upstreamAsk.isError).not.toBe(true);
		expect(JSON.stringify(upstreamAsk)).toContain('Ann');
		// The grant was one-shot: the same call is asked about again; refused this time, it never runs.
		approve = false;
		const again = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
		expect(asked).toHaveLength(2);
		expect(again).toMatchObject({ isError: true });
		expect(text(again)).toBe('Not approved by ops-desk. The call was not run.');
		const events = (await auditEvents(audit, 8)).filter((e) => e.toolName === 'echo');
		expect(trail(events)).toEqual([
			['call_held', undefined, 'id'],
			['approval_granted', 'ops-desk', 'id'],
			['call_allowed', undefined, 'id'],
			['call_executed', undefined, 'id'],
			['call_held', undefined, 'id'],
			['approval_denied', 'ops-desk', 'id'],
		]);
		expect(new Set(events.slice(0, 4).map((e) => e.approvalId)).size).toBe(1);
		expect(events[4]?.approvalId).not.toBe(events[0]?.approvalId);
	});

	it('declined in the client: denied with the reason, sticky, and the upstream never sees the call', async () => {
		const audit = await auditPath();
		const asked: ElicitRequest[] = [];
		const client = await connect(audit, (request) => {
			asked.push(request);
			return asked.length === 1
				? { action: 'accept', content: { approve: false, reason: 'Not during the freeze.' } }
				: { action: 'decline' };
		});
		const refused = await client.callTool({ name: 'echo', arguments: { message: 'deploy' } });
		expect(refused).toEqual({
			content: [{ type: 'text', text: 'Not during the freeze. The call was not run.' }],
			isError: true,
		});
		// A denial is sticky: the identical call is denied with the approver's reason, nobody is asked again.
		const sticky = await client.callTool({ name: 'echo', arguments: { message: 'deploy' } });
		expect(sticky.isError).toBe(true);
		expect(text(sticky)).toContain('Not during the freeze.');
		expect(asked).toHaveLength(1);
		const declined = await client.callTool({ name: 'echo', arguments: { message: 'other' } });
		expect(text(declined)).toBe('The user declined the approval request. The call was not run.');
		const events = await auditEvents(audit, 5);
		// Nothing was allowed, so nothing went upstream (an allowed call is audited call_allowed before it is sent).
		expect(trail(events)).toEqual([
			['call_held', undefined, 'id'],
			['approval_denied', 'ops-desk', 'id'],
			['call_denied', undefined, 'id'],
			['call_held', undefined, 'id'],
			['approval_denied', 'ops-desk', 'id'],
		]);
	});

	it('a tools/call cancelled while the client is asked stops the wait and withdraws the question', async () => {
		const audit = await auditPath();
		let asked = false;
		let withdraw: () => void = () => undefined;
		const withdrawn = new Promise<void>((resolve) => (withdraw = resolve));
		const client = await connect(audit, (_request, signal) => {
			asked = true;
			signal.addEventListener('abort', () => withdraw());
			// The person never answers.
			return new Promise<ElicitResult>(() => undefined);
		});
		const stop = new AbortController();
		const call = client.callTool({ name: 'echo', arguments: { message: 'slow' } }, undefined, { signal: stop.signal });
		await expect.poll(() => asked, { timeout: 5_000 }).toBe(true);
		stop.abort('changed my mind');
		await expect(call).rejects.toThrow('changed my mind');
		await withdrawn;
		// The gateway still answers the next call: the abandoned ask left nothing waiting.
		const events = await auditEvents(audit, 1);
		expect(events.map((e) => e.action)).toEqual(['call_held']);
		expect((await client.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } })).isError).not.toBe(true);
	});

	it('a client that goes away while it is asked: the gateway withdraws the question and exits at once', async () => {
		const audit = await auditPath();
		let asked = false;
		const client = await connect(audit, () => {
			asked = true;
			return new Promise<ElicitResult>(() => undefined);
		});
		const pid = (client.transport as StdioClientTransport).pid as number;
		void client.callTool({ name: 'echo', arguments: { message: 'slow' } }).catch(() => undefined);
		await expect.poll(() => asked, { timeout: 5_000 }).toBe(true);
		const closing = Date.now();
		void client.close();
		await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
		// A question nobody answers must not hold the shutdown (the CLI's backstop would end it only at 1.9 s).
		expect(Date.now() - closing).toBeLessThan(1_500);
	});

	it('a client whose elicitation fails gets the denial that names the pending approval', async () => {
		const audit = await auditPath();
		let tried = 0;
		const client = await connect(audit, () => {
			tried++;
			throw new Error('no UI here');
		});
		const result = await client.callTool({ name: 'echo', arguments: { message: 'x' } });
		expect(tried).toBe(1);
		expect(result.isError).toBe(true);
		expect(text(result)).toMatch(/^Echoing needs a person\. Approval \S+ is pending\./);
		expect(text(result)).toContain(`--policy ${POLICY} --as NAME`);
	});
});

describe('toolwarden-mcp --approver', () => {
	it('names who approvals given in the client are recorded as; absent, the gateway uses its default', () => {
		expect(parseArgs(['--policy', 'p.mjs', '--approver', 'ops', 'server'])).toMatchObject({ approver: 'ops' });
		expect(parseArgs(['--policy', 'p.mjs', '--approver=ops', '--url', 'https://h/mcp'])).toMatchObject({
			approver: 'ops',
		});
		expect(parseArgs(['--policy', 'p.mjs', 'server'])).not.toHaveProperty('approver');
		expect(() => parseArgs(['--policy', 'p.mjs', '--approver', '', 'server'])).toThrow(UsageError);
	});
});

describe.skipIf(!redisAvailable)(
	'toolwarden-mcp: held calls for a client without elicitation',
	{ timeout: 30_000 },
	() => {
		let redis: RedisServer;
		beforeAll(async () => {
			redis = await RedisServer.start();
		});
		afterAll(async () => {
			await redis.stop();
		});

		it('denies naming the approval id; approved out of band through Redis, the retry runs once', async () => {
			const audit = await auditPath();
			const prefix = `tw-${randomUUID()}`;
			const client = await connect(audit, undefined, { TW_REDIS_URL: redis.url, TW_REDIS_PREFIX: prefix });
			const held = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
			expect(held.isError).toBe(true);
			const id = /Approval (\S+) is pending/.exec(text(held))?.[1] as string;
			expect(text(held)).toContain(`toolwarden approvals approve ${id} --policy ${POLICY} --as NAME`);
			// The operator's process: another Warden on the same Redis resolves the request.
			const sink = new MemorySink();
			const ops = new Warden({ storage: new RedisStorage({ url: redis.url, keyPrefix: prefix }), audit: sink });
			try {
				const request = await ops.approvals.get(id);
				expect(request).toMatchObject({ status: 'pending', toolName: 'echo', args: { message: 'hi' } });
				await ops.approvals.approve(id, { approver: 'alice' });
				expect(sink.events.map((e) => [e.action, e.approver, e.approvalId])).toEqual([
					['approval_granted', 'alice', id],
				]);
				const retried = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
				expect(retried).toEqual(await directly('echo', { message: 'hi' }));
				expect((await ops.approvals.get(id))?.status).toBe('consumed');
				// One-shot: a third identical call is held again, under a new request.
				const third = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
				expect(/Approval (\S+) is pending/.exec(text(third))?.[1]).not.toBe(id);
			} finally {
				await ops.close();
			}
			const events = await auditEvents(audit, 4);
			expect(events.map((e) => [e.action, e.approvalId === id])).toEqual([
				['call_held', true],
				['call_allowed', true],
				['call_executed', true],
				['call_held', false],
			]);
		});
	},
);
