import { describe, expect, it } from 'vitest';
import {
	MemoryStorage,
	requireApproval,
	StorageUnavailableError,
	ToolCallDenied,
	Warden,
	type ApprovalStore,
	type StorageBackend,
} from '../../src/index.js';

/** A store whose session part works and whose approval part is as given. */
function storeWith(approvals: ApprovalStore | undefined, failMode: 'open' | 'closed' = 'closed'): StorageBackend {
	const base = new MemoryStorage();
	return {
		failMode,
		...(approvals === undefined ? {} : { approvals }),
		beginAttempt: (id) => base.beginAttempt(id),
		reserveExecution: (...args) => base.reserveExecution(...args),
		recordOutcome: (...args) => base.recordOutcome(...args),
		totals: (id) => base.totals(id),
		update: (...args) => base.update(...args),
		read: (...args) => base.read(...args),
		haltSession: (...args) => base.haltSession(...args),
		resetSession: (id) => base.resetSession(id),
	};
}

/** A store whose approval part is down (its session part still answers). */
function downApprovals(failMode: 'open' | 'closed'): StorageBackend {
	const down = (): never => {
		throw new StorageUnavailableError('redis down');
	};
	return storeWith(
		{ claimApproval: down, peekApproval: down, getApproval: down, listApprovals: down, resolveApproval: down },
		failMode,
	);
}

describe('a store outage while a call is held', () => {
	it.each(['closed', 'open'] as const)('denies the call (fail closed, even with failMode %s)', async (failMode) => {
		const warden = new Warden({ storage: downApprovals(failMode), contracts: [requireApproval('refund')] });
		let runs = 0;
		const error = (await warden.run('refund', {}, () => ++runs).catch((e: unknown) => e)) as ToolCallDenied;
		expect(error).toBeInstanceOf(ToolCallDenied);
		expect(error.source).toBe('storage_unavailable');
		expect(error.reason).toMatch(/redis down/);
		expect(runs).toBe(0);
		await expect(warden.approvals.list()).rejects.toBeInstanceOf(StorageUnavailableError);
	});

	it('a storage backend without an approval store denies held calls with a clear reason', async () => {
		const storage = storeWith(undefined);
		expect(await new Warden({ storage }).run('refund', {}, () => 1)).toBe(1);
		const warden = new Warden({ storage, contracts: [requireApproval('refund')] });
		await expect(warden.run('refund', {}, () => 1)).rejects.toMatchObject({
			source: 'approval',
			reason: expect.stringMatching(/cannot hold approval requests/) as string,
		});
		await expect(warden.approvals.list()).rejects.toThrow(/cannot hold approval requests/);
	});
});
