import { describe, expect, it } from 'vitest';
import {
	ApprovalConflictError,
	ApprovalRequired,
	AuditAction,
	ConfigError,
	MemorySink,
	requireApproval,
	ToolCallDenied,
	Warden,
} from '../../src/index.js';

const setup = (options: Parameters<typeof requireApproval>[1] = {}) => {
	const sink = new MemorySink();
	const warden = new Warden({ contracts: [requireApproval('refund', options)], audit: sink, sessionId: 's1' });
	let runs = 0;
	const refund = (amount = 900, principal = { userId: 'agent-user' }) =>
		warden.run('refund', { amount }, () => ++runs, { principal });
	return { warden, sink, refund, runs: () => runs };
};

const heldId = async (attempt: Promise<unknown>): Promise<string> => {
	const error = await attempt.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ApprovalRequired);
	const required = error as ApprovalRequired;
	expect(required).toBeInstanceOf(ToolCallDenied);
	expect(required.source).toBe('approval');
	expect(required.name).toBe('ApprovalRequired');
	return required.approval.id;
};

describe('the resumable form', () => {
	it('throws ApprovalRequired, runs the approved retry once, then holds the next identical call again', async () => {
		const { warden, sink, refund, runs } = setup();
		const id = await heldId(refund());
		expect(runs()).toBe(0);
		const request = await warden.approvals.get(id);
		expect(request).toMatchObject({
			id,
			toolName: 'refund',
			args: { amount: 900 },
			sessionId: 's1',
			principal: { userId: 'agent-user' },
			rule: 'requireApproval',
			status: 'pending',
		});
		const approved = await warden.approvals.approve(id, { approver: 'supervisor', note: 'ok' });
		expect(approved).toMatchObject({ status: 'approved', approver: 'supervisor', note: 'ok' });
		expect(await refund()).toBe(1);
		expect((await warden.approvals.get(id))?.status).toBe('consumed');
		const again = await heldId(refund());
		expect(again).not.toBe(id);
		expect(runs()).toBe(1);
		const actions = sink.events.map((e) => [e.action, e.approvalId, e.approver]);
		expect(actions).toEqual([
			[AuditAction.CALL_HELD, id, undefined],
			[AuditAction.APPROVAL_GRANTED, id, 'supervisor'],
			[AuditAction.CALL_ALLOWED, id, undefined],
			[AuditAction.CALL_EXECUTED, id, undefined],
			[AuditAction.CALL_HELD, again, undefined],
		]);
	});

	it('duplicates collapse: an identical pending call gets the same id; other args, session or principal do not', async () => {
		const { warden, refund } = setup();
		const id = await heldId(refund());
		expect(await heldId(refund())).toBe(id);
		expect(await heldId(refund(901))).not.toBe(id);
		expect(await heldId(refund(900, { userId: 'other' }))).not.toBe(id);
		expect(
			await heldId(
				warden.run('refund', { amount: 900 }, () => 0, { sessionId: 's2', principal: { userId: 'agent-user' } }),
			),
		).not.toBe(id);
		expect(await warden.approvals.list({ sessionId: 's1' })).toHaveLength(3);
		expect(await warden.approvals.list()).toHaveLength(4);
		expect(await warden.approvals.list({ status: 'approved' })).toEqual([]);
	});

	it('a grant does not carry over to different args', async () => {
		const { warden, refund, runs } = setup();
		await warden.approvals.approve(await heldId(refund(900)), { approver: 'sup' });
		await heldId(refund(9000));
		expect(runs()).toBe(0);
	});

	it('a denial is sticky: identical calls are denied with the approver reason', async () => {
		const { warden, sink, refund, runs } = setup();
		const id = await heldId(refund());
		await warden.approvals.deny(id, { approver: 'sup', reason: 'Customer already refunded.' });
		for (let i = 0; i < 2; i++) {
			const error = (await refund().catch((e: unknown) => e)) as ToolCallDenied;
			expect(error).toBeInstanceOf(ToolCallDenied);
			expect(error).not.toBeInstanceOf(ApprovalRequired);
			expect(error.source).toBe('approval');
			expect(error.reason).toMatch(/Customer already refunded/);
		}
		expect(runs()).toBe(0);
		expect(sink.events.filter((e) => e.action === AuditAction.CALL_DENIED).every((e) => e.approvalId === id)).toBe(
			true,
		);
		expect(sink.events.find((e) => e.action === AuditAction.APPROVAL_DENIED)).toMatchObject({
			approvalId: id,
			approver: 'sup',
			reason: 'Customer already refunded.',
		});
	});

	it('expiry is noticed lazily: the next call is denied (approval_expired), the one after opens a new request', async () => {
		const { warden, sink, refund } = setup({ ttlMs: 150 });
		const id = await heldId(refund());
		await new Promise((resolve) => setTimeout(resolve, 170));
		const error = (await refund().catch((e: unknown) => e)) as ToolCallDenied;
		expect(error).not.toBeInstanceOf(ApprovalRequired);
		expect(error.source).toBe('approval');
		expect(error.reason).toMatch(/expired/);
		expect(sink.events.filter((e) => e.action === AuditAction.APPROVAL_EXPIRED)).toHaveLength(1);
		expect((await warden.approvals.get(id))?.status).toBe('expired');
		expect(await heldId(refund())).not.toBe(id);
	});

	it('an approved grant expires too', async () => {
		const { warden, refund, runs } = setup({ ttlMs: 150 });
		const id = await heldId(refund());
		await warden.approvals.approve(id, { approver: 'sup' });
		await new Promise((resolve) => setTimeout(resolve, 170));
		await expect(refund()).rejects.toMatchObject({
			source: 'approval',
			reason: expect.stringMatching(/expired/) as string,
		});
		expect(runs()).toBe(0);
	});

	it('get and list notice expiry and audit it once', async () => {
		const { warden, sink, refund } = setup({ ttlMs: 150 });
		const id = await heldId(refund());
		await new Promise((resolve) => setTimeout(resolve, 170));
		expect((await warden.approvals.list({ status: 'expired' })).map((r) => r.id)).toEqual([id]);
		expect((await warden.approvals.get(id))?.status).toBe('expired');
		expect(sink.events.filter((e) => e.action === AuditAction.APPROVAL_EXPIRED)).toHaveLength(1);
		await expect(warden.approvals.approve(id, { approver: 'sup' })).rejects.toBeInstanceOf(ApprovalConflictError);
	});
});

describe('resolving requests: bad input', () => {
	it('unknown, resolved twice, consumed: ApprovalConflictError', async () => {
		const { warden, refund } = setup();
		await expect(warden.approvals.approve('nope', { approver: 'sup' })).rejects.toMatchObject({
			name: 'ApprovalConflictError',
			status: 'unknown',
		});
		const id = await heldId(refund());
		await warden.approvals.approve(id, { approver: 'sup' });
		await expect(warden.approvals.approve(id, { approver: 'sup' })).rejects.toMatchObject({ status: 'approved' });
		await expect(warden.approvals.deny(id, { approver: 'other', reason: 'no' })).rejects.toBeInstanceOf(
			ApprovalConflictError,
		);
		await refund();
		await expect(warden.approvals.approve(id, { approver: 'sup' })).rejects.toMatchObject({ status: 'consumed' });
	});

	it('two approvers racing: one wins, the other gets ApprovalConflictError', async () => {
		const { warden, refund } = setup();
		const id = await heldId(refund());
		const results = await Promise.allSettled([
			warden.approvals.approve(id, { approver: 'a' }),
			warden.approvals.deny(id, { approver: 'b', reason: 'no' }),
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(ApprovalConflictError);
	});

	it("the call's own principal cannot approve it; an approver off the list cannot either", async () => {
		const { warden, refund } = setup({ approvers: ['sup', 'agent-user'] });
		const id = await heldId(refund());
		await expect(warden.approvals.approve(id, { approver: 'agent-user' })).rejects.toThrow(ConfigError);
		await expect(warden.approvals.approve(id, { approver: 'intern' })).rejects.toThrow(/not one of the approvers/);
		expect((await warden.approvals.get(id))?.status).toBe('pending');
		await warden.approvals.approve(id, { approver: 'sup' });
	});

	it('malformed arguments are ConfigErrors', async () => {
		const { warden, refund } = setup();
		const id = await heldId(refund());
		await expect(warden.approvals.approve(id, {} as never)).rejects.toThrow(/approver must be a non-empty string/);
		await expect(warden.approvals.approve(id, { approver: 'a', nte: 'x' } as never)).rejects.toThrow(ConfigError);
		await expect(warden.approvals.deny(id, { approver: 'a' } as never)).rejects.toThrow(/reason/);
		await expect(warden.approvals.get('')).rejects.toThrow(ConfigError);
		await expect(warden.approvals.list({ status: 'maybe' } as never)).rejects.toThrow(/unknown status/);
	});

	it('two identical retries racing for one grant: the tool runs once', async () => {
		const { warden, refund, runs } = setup();
		const id = await heldId(refund());
		await warden.approvals.approve(id, { approver: 'sup' });
		const results = await Promise.allSettled([refund(), refund(), refund()]);
		expect(runs()).toBe(1);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof ApprovalRequired)).toBe(
			true,
		);
	});

	it("a request carries the hold's metadata (redacted) and its approvers", async () => {
		const { warden, refund } = setup({
			approvers: ['sup'],
			metadata: { ticket: 'T-9', token: 'sk-live-1234567890abcdef1234' },
		});
		const request = await warden.approvals.get(await heldId(refund()));
		expect(request).toMatchObject({ approvers: ['sup'], metadata: { ticket: 'T-9' } });
		expect(JSON.stringify(request)).not.toMatch(/sk-live/);
	});

	it('args and principal in a request are redacted', async () => {
		const warden = new Warden({ contracts: [requireApproval('*')] });
		const id = await heldId(
			warden.run('call_api', { apiKey: 'sk-live-1234567890abcdef1234' }, () => 1, {
				principal: { userId: 'u', claims: { password: 'hunter22' } },
			}),
		);
		const request = await warden.approvals.get(id);
		expect(JSON.stringify(request)).not.toMatch(/sk-live|hunter22/);
	});
});
