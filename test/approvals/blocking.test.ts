import { describe, expect, it } from 'vitest';
import {
	ApprovalRequired,
	AuditAction,
	MemorySink,
	requireApproval,
	ToolCallDenied,
	Warden,
	type ApprovalHandler,
} from '../../src/index.js';

const setup = (handler: ApprovalHandler, timeoutMs?: number) => {
	const sink = new MemorySink();
	const warden = new Warden({
		contracts: [requireApproval('deploy')],
		audit: sink,
		approvals: { handler, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
	});
	let runs = 0;
	const deploy = () =>
		warden.run('deploy', { service: 'api' }, () => ++runs, { principal: { userId: 'dev' }, callId: 'c1' });
	return { warden, sink, deploy, runs: () => runs };
};

const deniedBy = async (attempt: Promise<unknown>): Promise<ToolCallDenied> => {
	const error = await attempt.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ToolCallDenied);
	expect(error).not.toBeInstanceOf(ApprovalRequired);
	expect((error as ToolCallDenied).source).toBe('approval');
	return error as ToolCallDenied;
};

describe('the blocking form (approvals.handler)', () => {
	it('approved: the tool runs once, and the audit tells the whole story under one call id', async () => {
		const seen: unknown[] = [];
		const { sink, deploy, runs } = setup(async (request) => {
			seen.push(request);
			return { approved: true, approver: 'ops-lead' };
		});
		expect(await deploy()).toBe(1);
		expect(runs()).toBe(1);
		expect(seen).toMatchObject([{ toolName: 'deploy', args: { service: 'api' }, status: 'pending' }]);
		expect(sink.events.map((e) => e.action)).toEqual([
			AuditAction.CALL_HELD,
			AuditAction.APPROVAL_GRANTED,
			AuditAction.CALL_ALLOWED,
			AuditAction.CALL_EXECUTED,
		]);
		expect(new Set(sink.events.map((e) => e.callId))).toEqual(new Set(['c1']));
		expect(new Set(sink.events.map((e) => e.approvalId)).size).toBe(1);
	});

	it('denied: ToolCallDenied with the approver reason, the tool never runs', async () => {
		const { deploy, runs } = setup(async () => ({
			approved: false,
			approver: 'ops-lead',
			reason: 'Freeze until Monday.',
		}));
		expect((await deniedBy(deploy())).reason).toMatch(/Freeze until Monday/);
		expect(runs()).toBe(0);
	});

	const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
		[
			'throws',
			async () => {
				throw new Error('slack down');
			},
			/handler threw Error: slack down/,
		],
		['answers garbage', async () => 'yes', /answered a string/],
		['answers without approver', async () => ({ approved: true }), /instead of/],
		[
			"approves as the call's own principal",
			async () => ({ approved: true, approver: 'dev' }),
			/cannot resolve its own approval/,
		],
		['never answers', () => new Promise(() => undefined), /No approval answer within 30 ms/],
	];
	it.each(cases)('a handler that %s denies the call (fail closed)', async (_label, handler, reason) => {
		const { warden, deploy, runs } = setup(handler as ApprovalHandler, 30);
		const error = await deniedBy(deploy());
		expect(error.reason).toMatch(reason);
		expect(runs()).toBe(0);
		const [request] = await warden.approvals.list();
		expect(request).toMatchObject({ status: 'denied', approver: 'toolwarden' });
	});

	it('if someone resolves the request while the handler hangs, that resolution stands', async () => {
		const box: { warden?: Warden } = {};
		const handler: ApprovalHandler = async (request) => {
			await box.warden?.approvals.approve(request.id, { approver: 'out-of-band' });
			return { approved: false, approver: 'late', reason: 'too late' };
		};
		const ctx = setup(handler);
		box.warden = ctx.warden;
		expect(await ctx.deploy()).toBe(1);
	});

	it('without a handler, run throws ApprovalRequired (the resumable form)', async () => {
		const warden = new Warden({ contracts: [requireApproval('deploy')] });
		await expect(warden.run('deploy', {}, () => 1)).rejects.toBeInstanceOf(ApprovalRequired);
	});
});
