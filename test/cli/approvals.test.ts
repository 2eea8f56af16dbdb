import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalRequired, requireApproval, verifyAuditLog, Warden, type ApprovalRequest } from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { redisAvailable, RedisServer } from '../redis/redisServer.js';
import { cli, FIXTURES, ROOT } from './helpers.js';

const exec = promisify(execFile);

describe('toolwarden approvals on the memory store the policy module itself uses', () => {
	const policy = join(FIXTURES, 'policy-approvals-memory.ts');
	const fixture = () =>
		(globalThis as { approvalsMemory?: { id: string; refund: () => Promise<string> } }).approvalsMemory as {
			id: string;
			refund: () => Promise<string>;
		};

	it('lists the pending request, refuses who may not decide (exit 1), approves once, and the retry runs', async () => {
		const listed = await cli(['approvals', 'list', '--policy', policy, '--status', 'pending', '--json']);
		expect(listed.code).toBe(0);
		const { requests } = JSON.parse(listed.stdout) as { requests: ApprovalRequest[] };
		const { id, refund } = fixture();
		expect(requests).toEqual([
			expect.objectContaining({ id, toolName: 'refund', status: 'pending', approvers: ['sup', 'lead'] }),
		]);
		expect((await cli(['approvals', 'list', '--policy', policy])).stdout).toContain(`${id}  pending  refund`);

		const self = await cli(['approvals', 'approve', id, '--policy', policy, '--as', 'agent-7']);
		expect(self).toMatchObject({ code: 1, stdout: '' });
		expect(self.stderr).toMatch(/^toolwarden approvals: refused: .*cannot resolve its own approval.*\n$/);
		const outsider = await cli(['approvals', 'approve', id, '--policy', policy, '--as', 'intern', '--json']);
		expect(outsider.code).toBe(1);
		expect(JSON.parse(outsider.stdout)).toMatchObject({ ok: false, error: 'ConfigError' });

		const approved = await cli(['approvals', 'approve', id, '--policy', policy, '--as', 'sup', '--reason', 'ok']);
		expect(approved).toMatchObject({ code: 0, stderr: '' });
		expect(approved.stdout).toMatch(new RegExp(`^approved  ${id}  approved by sup  refund`));
		const again = await cli(['approvals', 'deny', id, '--policy', policy, '--as', 'lead', '--json']);
		expect(again.code).toBe(1);
		expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: 'ApprovalConflictError' });

		expect(await refund()).toBe('refunded');
		const after = await cli(['approvals', 'list', '--policy', policy, '--json']);
		expect((JSON.parse(after.stdout) as { requests: ApprovalRequest[] }).requests[0]).toMatchObject({
			id,
			status: 'consumed',
			approver: 'sup',
			note: 'ok',
		});
	});

	it('usage errors exit 2 with one line', async () => {
		const cases: Array<[string[], string]> = [
			[['approvals'], 'expected list, approve ID or deny ID; got nothing.'],
			[['approvals', 'approve', '--policy', policy, '--as', 'sup'], "approve needs the request's ID."],
			[['approvals', 'approve', 'x', '--as', 'sup'], '--policy P is required'],
			[['approvals', 'deny', 'x', '--policy', policy], '--as APPROVER is required'],
			[['approvals', 'list', '--policy', policy, '--status', 'open'], '--status open: expected pending'],
		];
		for (const [argv, message] of cases) {
			const run = await cli(argv);
			expect(run).toMatchObject({ code: 2, stdout: '' });
			expect(run.stderr).toContain(`toolwarden approvals: ${message}`);
			expect(run.stderr.split('\n')).toHaveLength(2);
		}
	});
});

describe.skipIf(!redisAvailable)('toolwarden approvals on a Redis store shared with the agent process', () => {
	let server: RedisServer;
	const stores: RedisStorage[] = [];
	beforeAll(async () => {
		server = await RedisServer.start();
	});
	afterAll(async () => {
		await Promise.all(stores.map((store) => store.close()));
		await server.stop();
	});

	/** The binary in a process of its own, as an operator runs it. */
	async function toolwarden(prefix: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
		const env = { ...process.env, TW_REDIS_URL: server.url, TW_PREFIX: prefix };
		const argv = ['--import', 'tsx', 'src/cli/main.ts', 'approvals', ...args];
		argv.push('--policy', join(FIXTURES, 'policy-approvals-redis.ts'));
		try {
			const { stdout } = await exec(process.execPath, argv, { cwd: ROOT, env, timeout: 60_000 });
			return { code: 0, stdout };
		} catch (error) {
			return error as { code: number; stdout: string };
		}
	}

	it('a call held in this process is approved by the CLI in another; the retry here runs once', async () => {
		const prefix = `cli-${Date.now()}:`;
		const storage = new RedisStorage({ url: server.url, keyPrefix: prefix });
		stores.push(storage);
		const agent = new Warden({ storage, sessionId: 's-redis', contracts: [requireApproval('refund')] });
		let runs = 0;
		const refund = () => agent.run('refund', { amount: 50 }, () => ++runs, { principal: { userId: 'bot' } });
		const held = (await refund().catch((error: unknown) => error)) as ApprovalRequired;
		expect(held).toBeInstanceOf(ApprovalRequired);
		const id = held.approval.id;

		const listed = await toolwarden(prefix, 'list', '--json');
		expect(JSON.parse(listed.stdout)).toMatchObject({ requests: [{ id, status: 'pending', sessionId: 's-redis' }] });
		expect((await toolwarden(prefix, 'approve', id, '--as', 'bot')).code).toBe(1);
		const dir = await mkdtemp(join(tmpdir(), 'tw-approvals-'));
		const auditLog = join(dir, 'approvals.jsonl');
		const approved = await toolwarden(prefix, 'approve', id, '--as', 'sup', '--audit-log', auditLog, '--json');
		expect(approved.code).toBe(0);
		expect(JSON.parse(approved.stdout)).toMatchObject({
			ok: true,
			request: { id, status: 'approved', approver: 'sup' },
		});
		expect(await verifyAuditLog(auditLog)).toMatchObject({ ok: true, count: 1 });
		expect((await toolwarden(prefix, 'deny', id, '--as', 'lead')).code).toBe(1);

		expect(await refund()).toBe(1);
		expect((await agent.approvals.get(id))?.status).toBe('consumed');
		await agent.close();
	});
});
