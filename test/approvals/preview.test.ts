import { describe, expect, it } from 'vitest';
import { MemorySink, MemoryStorage, repeatGuard, requireApproval, sideEffectLedger, Warden } from '../../src/index.js';

describe('warden.preview', () => {
	it('has no side effect at all: no attempt, no reservation, no guard state, no request, no audit event', async () => {
		const sink = new MemorySink();
		const storage = new MemoryStorage();
		const warden = new Warden({
			storage,
			audit: sink,
			sessionId: 's',
			contracts: [repeatGuard(), sideEffectLedger(), requireApproval('refund')],
		});
		for (let i = 0; i < 5; i++) {
			expect((await warden.preview('lookup', { id: 1 })).action).toBe('allow');
			const held = await warden.preview('refund', { amount: 5 });
			expect(held).toMatchObject({
				action: 'hold',
				source: 'approval',
				approval: { message: expect.any(String) as string },
			});
			expect(held.approval?.id).toBeUndefined();
			expect(held.approval?.digest).toMatch(/^[0-9a-f]{64}$/);
		}
		expect(sink.events).toEqual([]);
		expect(await warden.approvals.list()).toEqual([]);
		expect(storage.totals('s')).toMatchObject({ attempts: 0, executions: 0 });
		expect(storage.read('s', 'anything')).toBeUndefined();
	});

	it('names the pending request, says allow for an approved one (its grant waits) and deny for a denied one', async () => {
		const warden = new Warden({ contracts: [requireApproval('refund')] });
		const call = await warden.begin('refund', { amount: 5 });
		const id = call.decision.approval?.id as string;
		expect((await warden.preview('refund', { amount: 5 })).approval).toMatchObject({
			id,
			digest: call.decision.approval?.digest,
		});
		await warden.approvals.approve(id, { approver: 'sup' });
		expect(await warden.preview('refund', { amount: 5 })).toMatchObject({ action: 'allow', approvalId: id });
		expect((await warden.approvals.get(id))?.status).toBe('approved');
		const other = await warden.begin('refund', { amount: 6 });
		await warden.approvals.deny(other.decision.approval?.id as string, { approver: 'sup', reason: 'no' });
		expect(await warden.preview('refund', { amount: 6 })).toMatchObject({ action: 'deny', source: 'approval' });
	});

	it('reports limit denials without reserving', async () => {
		const warden = new Warden({ limits: { maxToolCalls: 1 } });
		await warden.run('t', {}, () => 1);
		expect(await warden.preview('t', {})).toMatchObject({ action: 'deny', source: 'execution_limit' });
		expect(await new Warden({ limits: { maxToolCalls: 1 } }).preview('t', {})).toMatchObject({ action: 'allow' });
	});

	it('invalid args preview as the denial the call would get', async () => {
		const cyclic: Record<string, unknown> = {};
		cyclic['self'] = cyclic;
		const decision = await new Warden().preview('t', cyclic);
		expect(decision).toMatchObject({ action: 'deny', source: 'invalid_input' });
	});
});
