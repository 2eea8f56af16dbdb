import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ApprovalConflictError,
	ApprovalRequired,
	ConfigError,
	MemorySink,
	requireApproval,
	ToolCallDenied,
	Warden,
} from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { redisAvailable, RedisServer } from '../redis/redisServer.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./redisWorker.ts', import.meta.url));
let server: RedisServer;
const opened: RedisStorage[] = [];

const storage = (keyPrefix: string, timeoutMs = 5000) => {
	const store = new RedisStorage({ url: server.url, keyPrefix, timeoutMs });
	opened.push(store);
	return store;
};

async function spawnWorker(
	scenario: string,
	prefix: string,
	arg: string,
	startAt: number,
): Promise<Record<string, unknown>> {
	const { stdout } = await run(
		process.execPath,
		['--import', 'tsx', worker, scenario, server.url, prefix, arg, String(startAt)],
		{ timeout: 60_000 },
	);
	return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

const heldId = async (attempt: Promise<unknown>): Promise<string> => {
	const error = await attempt.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ApprovalRequired);
	return (error as ApprovalRequired).approval.id;
};

describe.skipIf(!redisAvailable)('approvals on Redis', () => {
	beforeAll(async () => {
		server = await RedisServer.start();
	});
	afterAll(async () => {
		await Promise.all(opened.map((store) => store.close()));
		await server.stop();
	});

	it('a request opened in one process is listed, resolved and consumed through another', async () => {
		const prefix = `life-${Date.now()}:`;
		const sink = new MemorySink();
		const agent = new Warden({
			storage: storage(prefix),
			sessionId: 's',
			audit: sink,
			contracts: [requireApproval('refund', { approvers: ['sup'] })],
		});
		const operator = new Warden({ storage: storage(prefix), contracts: [] });
		let runs = 0;
		const refund = (amount = 900) =>
			agent.run('refund', { amount, tags: [], meta: {} }, () => ++runs, { principal: { userId: 'agent' } });
		const id = await heldId(refund());
		expect(await heldId(refund())).toBe(id);
		const [listed] = await operator.approvals.list({ sessionId: 's', status: 'pending' });
		expect(listed).toMatchObject({
			id,
			toolName: 'refund',
			args: { amount: 900, tags: [], meta: {} },
			status: 'pending',
			approvers: ['sup'],
		});
		await expect(operator.approvals.approve(id, { approver: 'agent' })).rejects.toThrow(ConfigError);
		await expect(operator.approvals.approve(id, { approver: 'intern' })).rejects.toThrow(ConfigError);
		await expect(operator.approvals.approve('nope', { approver: 'sup' })).rejects.toMatchObject({ status: 'unknown' });
		expect(await operator.approvals.approve(id, { approver: 'sup', note: 'fine' })).toMatchObject({
			status: 'approved',
			approver: 'sup',
			note: 'fine',
		});
		await expect(operator.approvals.deny(id, { approver: 'sup', reason: 'no' })).rejects.toBeInstanceOf(
			ApprovalConflictError,
		);
		expect(
			await agent.preview('refund', { amount: 900, tags: [], meta: {} }, { principal: { userId: 'agent' } }),
		).toMatchObject({ action: 'allow', approvalId: id });
		expect(await refund()).toBe(1);
		expect((await operator.approvals.get(id))?.status).toBe('consumed');
		const next = await heldId(refund());
		expect(next).not.toBe(id);
		await operator.approvals.deny(next, { approver: 'sup', reason: 'Enough refunds today.' });
		await expect(refund()).rejects.toMatchObject({
			source: 'approval',
			reason: expect.stringMatching(/Enough refunds today/) as string,
		});
		expect(runs).toBe(1);
		expect(sink.events.filter((e) => e.approvalId === id).map((e) => e.action)).toEqual([
			'call_held',
			'call_held',
			'call_allowed',
			'call_executed',
		]);
	});

	it('expiry is noticed lazily on Redis too', async () => {
		const prefix = `exp-${Date.now()}:`;
		const warden = new Warden({ storage: storage(prefix), contracts: [requireApproval('refund', { ttlMs: 100 })] });
		const id = await heldId(warden.run('refund', {}, () => 1));
		await new Promise((resolve) => setTimeout(resolve, 150));
		await expect(warden.run('refund', {}, () => 1)).rejects.toMatchObject({
			source: 'approval',
			reason: expect.stringMatching(/expired/) as string,
		});
		expect((await warden.approvals.get(id))?.status).toBe('expired');
		await expect(warden.approvals.approve(id, { approver: 'sup' })).rejects.toMatchObject({ status: 'expired' });
		expect(await heldId(warden.run('refund', {}, () => 1))).not.toBe(id);
	});

	it('4 processes x 5 identical retries racing for one grant: the tool runs once', async () => {
		const prefix = `race-${Date.now()}:`;
		const warden = new Warden({
			storage: storage(prefix),
			sessionId: 'shared',
			contracts: [requireApproval('refund')],
		});
		const id = await heldId(warden.run('refund', { amount: 900 }, () => 0, { principal: { userId: 'agent' } }));
		await warden.approvals.approve(id, { approver: 'sup' });
		const startAt = Date.now() + 5000;
		const results = await Promise.all([1, 2, 3, 4].map(() => spawnWorker('retry', prefix, '', startAt)));
		expect(results.reduce((n, r) => n + (r['ran'] as number), 0)).toBe(1);
		expect(results.reduce((n, r) => n + (r['held'] as number), 0)).toBe(19);
		expect((await warden.approvals.get(id))?.status).toBe('consumed');
	});

	it('4 processes approving one request at once: one wins, the others get ApprovalConflictError', async () => {
		const prefix = `approvers-${Date.now()}:`;
		const warden = new Warden({ storage: storage(prefix), contracts: [requireApproval('refund')] });
		const id = await heldId(warden.run('refund', {}, () => 0));
		const startAt = Date.now() + 5000;
		const results = await Promise.all([1, 2, 3, 4].map(() => spawnWorker('approve', prefix, id, startAt)));
		expect(results.filter((r) => r['won'] === true)).toHaveLength(1);
		expect((await warden.approvals.get(id))?.status).toBe('approved');
	});

	it('a store outage while a call is held denies it (fail closed, even with failMode open)', async () => {
		const own = await RedisServer.start();
		const store = new RedisStorage({ url: own.url, timeoutMs: 300, failMode: 'open' });
		opened.push(store);
		const warden = new Warden({ storage: store, contracts: [requireApproval('refund')] });
		const id = await heldId(warden.run('refund', {}, () => 1));
		await warden.approvals.approve(id, { approver: 'sup' });
		await own.stop();
		let runs = 0;
		const error = (await warden.run('refund', {}, () => ++runs).catch((e: unknown) => e)) as ToolCallDenied;
		expect(error).toBeInstanceOf(ToolCallDenied);
		expect(error.source).toBe('storage_unavailable');
		expect(runs).toBe(0);
	});
});
