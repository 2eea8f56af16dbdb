import { describe, expect, it } from 'vitest';
import { ConfigError, jitterGuard, overlapCoefficient, queryTokens, Warden } from '../../src/index.js';

describe('jitterGuard', () => {
	it('tokenises Unicode words and measures overlap', () => {
		expect(queryTokens('Refund policy — Rückerstattung, 30 días!')).toEqual(['refund', 'policy', 'rückerstattung', '30', 'días']);
		expect(overlapCoefficient(['refund', 'policy'], ['policy', 'for', 'refund'])).toBe(1);
		expect(overlapCoefficient(['a', 'b'], ['c'])).toBe(0);
	});

	it('the 3rd near-identical query is denied and the tool quarantined for the session', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { web_search: 'query' } })] });
		const search = (query: string) => warden.begin('web_search', { query });
		expect((await search('refund policy for orders')).allowed).toBe(true);
		expect((await search('orders refund policy')).allowed).toBe(true);
		const third = await search('policy on refunds for orders');
		expect(third.allowed).toBe(false);
		expect(third.decision).toMatchObject({ source: 'behavior', rule: 'jitterGuard' });
		expect(third.decision.reason).toMatch(/quarantined for this session: 3 near-identical queries.*Stop rephrasing/);
		// Quarantined: even an unrelated query is now denied; other tools are not.
		expect((await search('weather in Paris')).allowed).toBe(false);
		expect((await warden.begin('kb_search', { query: 'refund policy' })).allowed).toBe(true);
		const report = await warden.report();
		expect(report.quarantined).toEqual([{ tool: 'web_search', reason: expect.stringMatching(/near-identical/) as string }]);
	});

	it('different queries are fine, and so is another session', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { web_search: 'query' } })] });
		for (const q of ['refund policy', 'shipping times to Canada', 'warranty for laptops', 'store hours Sunday']) expect((await warden.begin('web_search', { query: q })).allowed).toBe(true);
		for (const q of ['a b c', 'a b c d']) await warden.begin('web_search', { query: q }, { sessionId: 's2' });
		expect((await warden.begin('web_search', { query: 'a b c' })).allowed).toBe(true);
	});

	it('joins several query args', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { crm_lookup: ['name', 'company'] } })] });
		await warden.begin('crm_lookup', { name: 'Ann Lee', company: 'Acme' });
		await warden.begin('crm_lookup', { name: 'Lee Ann', company: 'ACME' });
		expect((await warden.begin('crm_lookup', { company: 'acme', name: 'ann lee' })).allowed).toBe(false);
	});

	it('validates options', () => {
		expect(() => jitterGuard({} as never)).toThrow(/needs queryTools/);
		expect(() => jitterGuard({ queryTools: { t: [] } })).toThrow(ConfigError);
		expect(() => jitterGuard({ queryTools: { t: 'q' }, similarity: 2 })).toThrow(/in \(0, 1\]/);
		expect(() => jitterGuard({ queryTools: { t: 'q' }, maxSimilar: 1 })).toThrow(/at least 2/);
	});
});
