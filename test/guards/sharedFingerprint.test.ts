import { describe, expect, it } from 'vitest';
import {
	costBudget,
	jitterGuard,
	MemoryStorage,
	repeatGuard,
	sequenceGuard,
	sideEffectLedger,
	Warden,
} from '../../src/index.js';
import type { KeyBound, Update } from '../../src/extend.js';

/** A MemoryStorage that records what guards fingerprint and every key and value they write. */
class RecordingStorage extends MemoryStorage {
	readonly fingerprinted: string[] = [];
	readonly written: Array<{ key: string; value: unknown }> = [];

	override fingerprint(text: string): string {
		this.fingerprinted.push(text);
		return super.fingerprint(text);
	}

	override update<T, R>(namespace: string, key: string, fn: Update<T, R>, bound?: KeyBound): R {
		return super.update<T, R>(
			namespace,
			key,
			(current) => {
				const change = fn(current);
				this.written.push({ key, value: change.value });
				return change;
			},
			bound,
		);
	}
}

const tools = { refund: { sideEffect: 'irreversible' as const } };
const secretArgs = { orderId: 'A-1', cardNumber: '4111111111111111' };

describe('the call fingerprint shared by guards', () => {
	it('is computed once per call, and the repeat guard and the ledger key the call by the same fingerprint', async () => {
		const storage = new RecordingStorage();
		const warden = new Warden({ storage, tools, contracts: [repeatGuard(), sideEffectLedger()] });
		await warden.run('refund', secretArgs, () => ({ ok: true }));

		const callTexts = storage.fingerprinted.filter((text) => text.startsWith('refund\u0000'));
		expect(callTexts).toEqual(['refund\u0000{"cardNumber":"4111111111111111","orderId":"A-1"}']);
		const fingerprint = storage.fingerprint(callTexts[0] as string);
		const keys = new Set(storage.written.map(({ key }) => key));
		expect(keys).toContain(`repeatGuard:${fingerprint}`);
		expect(keys).toContain(`sideEffectLedger:${fingerprint}`);
	});

	it('a new call with equal args gets the same fingerprint; different args or another store get another', async () => {
		const storage = new RecordingStorage();
		const other = new RecordingStorage();
		const ledger = () => [sideEffectLedger()];
		const warden = new Warden({ storage, tools, contracts: ledger() });
		const elsewhere = new Warden({ storage: other, tools, contracts: ledger() });
		await warden.run('refund', { orderId: 'A-1' }, () => 1);
		await warden.run('refund', { orderId: 'A-2' }, () => 2);
		await elsewhere.run('refund', { orderId: 'A-1' }, () => 1);
		// The repeat is replayed: it was keyed like the first call although its args are a new object.
		await expect(warden.run('refund', { orderId: 'A-1' }, () => 3)).resolves.toBe(1);

		const ledgerKeys = (s: RecordingStorage) => [
			...new Set(s.written.map(({ key }) => key).filter((key) => key.startsWith('sideEffectLedger:'))),
		];
		expect(ledgerKeys(storage)).toHaveLength(2);
		expect(ledgerKeys(other)).toHaveLength(1);
		// Each store has its own secret: the same call is fingerprinted differently in each.
		expect(ledgerKeys(storage)).not.toContain(ledgerKeys(other)[0]);
	});

	it('the store never holds the argument text, in keys or values', async () => {
		const storage = new RecordingStorage();
		const warden = new Warden({ storage, tools, contracts: [repeatGuard(), sideEffectLedger(), sequenceGuard()] });
		for (let i = 0; i < 3; i++) await warden.run('refund', secretArgs, () => ({ refunded: 'A-1' }));
		expect(storage.written.length).toBeGreaterThan(0);
		for (const { key, value } of storage.written) {
			expect(key).not.toContain('4111111111111111');
			expect(JSON.stringify(value) ?? '').not.toContain('4111111111111111');
		}
	});
});

describe('guards that do not watch a tool', () => {
	it('are never asked about its calls: jitterGuard off its query tools, costBudget on free tools', async () => {
		const storage = new RecordingStorage();
		const warden = new Warden({
			storage,
			contracts: [
				jitterGuard({ queryTools: { web_search: 'query' } }),
				costBudget({ maxUsd: 1, costs: { paid: 0.5 } }),
			],
		});
		const free = await warden.begin('lookup', { query: 'refund policy' });
		expect(free.decision.contracts.map((c) => c.name)).toEqual([]);
		await free.succeed('ok');
		expect(storage.written).toEqual([]);

		const search = await warden.begin('web_search', { query: 'refund policy' });
		expect(search.decision.contracts.map((c) => c.name)).toEqual(['jitterGuard']);
		await search.succeed('ok');
		const paid = await warden.begin('paid', {});
		expect(paid.decision.contracts.map((c) => c.name)).toEqual(['costBudget']);
		await paid.succeed('ok');
		expect(storage.written.map(({ key }) => key)).toEqual(['jitterGuard', 'costBudget']);
	});
});
