import { describe, expect, it } from 'vitest';
import { ConfigError, jitterGuard, overlapCoefficient, queryTokens, Warden } from '../../src/index.js';

describe('jitterGuard', () => {
	it('tokenises Unicode words and measures overlap', () => {
		expect(queryTokens('Refund policy — Rückerstattung, 30 días!')).toEqual([
			'refund',
			'policy',
			'rückerstattung',
			'30',
			'días',
		]);
		expect(overlapCoefficient(['refund', 'policy'], ['policy', 'for', 'refund'])).toBe(1);
		expect(overlapCoefficient(['a', 'b'], ['c'])).toBe(0);
	});

	it('three near-identical queries run (ordinary refinement); the 4th is denied and the tool quarantined', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { web_search: 'query' } })] });
		const search = (query: string) => warden.begin('web_search', { query });
		expect((await search('refund policy for orders')).allowed).toBe(true);
		expect((await search('orders refund policy')).allowed).toBe(true);
		expect((await search('policy on refunds for orders')).allowed).toBe(true);
		const fourth = await search('refund policy for orders please');
		expect(fourth.allowed).toBe(false);
		expect(fourth.decision).toMatchObject({ source: 'behavior', rule: 'jitterGuard' });
		expect(fourth.decision.reason).toMatch(/quarantined for this session: 4 near-identical queries.*Stop rephrasing/);
		// Quarantined: even an unrelated query is now denied; other tools are not.
		expect((await search('weather in Paris')).allowed).toBe(false);
		expect((await warden.begin('kb_search', { query: 'refund policy' })).allowed).toBe(true);
		const report = await warden.report();
		expect(report.quarantined).toEqual([
			{ tool: 'web_search', reason: expect.stringMatching(/near-identical/) as string },
		]);
	});

	it('counts only earlier queries that overlap the new one by >= similarity, within the window', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { q: 'text' }, window: 3 })] });
		const ask = async (text: string) => (await warden.begin('q', { text })).allowed;
		// Overlap 1/2 = 0.5 < 0.6: not near-identical, however often.
		for (const text of ['alpha beta', 'alpha gamma', 'alpha delta', 'alpha epsilon'])
			expect(await ask(text)).toBe(true);
		// Three earlier matches are needed; only 'alpha epsilon' is in the window now.
		expect(await ask('alpha epsilon x')).toBe(true);
		expect(await ask('x alpha epsilon')).toBe(true);
		expect(await ask('epsilon alpha')).toBe(false);
	});

	it('maxSimilar: 1 denies the first repetition', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { s: 'q' }, maxSimilar: 1 })] });
		expect((await warden.begin('s', { q: 'a b' })).allowed).toBe(true);
		expect((await warden.begin('s', { q: 'b a' })).allowed).toBe(false);
	});

	it('different queries are fine, and so is another session', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { web_search: 'query' } })] });
		for (const q of ['refund policy', 'shipping times to Canada', 'warranty for laptops', 'store hours Sunday'])
			expect((await warden.begin('web_search', { query: q })).allowed).toBe(true);
		for (const q of ['a b c', 'a b c d']) await warden.begin('web_search', { query: q }, { sessionId: 's2' });
		expect((await warden.begin('web_search', { query: 'a b c' })).allowed).toBe(true);
	});

	it('joins several query args', async () => {
		const warden = new Warden({ contracts: [jitterGuard({ queryTools: { crm_lookup: ['name', 'company'] } })] });
		await warden.begin('crm_lookup', { name: 'Ann Lee', company: 'Acme' });
		await warden.begin('crm_lookup', { name: 'Lee Ann', company: 'ACME' });
		expect((await warden.begin('crm_lookup', { company: 'acme', name: 'ann lee' })).allowed).toBe(true);
		expect((await warden.begin('crm_lookup', { company: 'Acme', name: 'Ann' })).allowed).toBe(false);
	});

	it('validates options', () => {
		expect(() => jitterGuard({} as never)).toThrow(/needs queryTools/);
		expect(() => jitterGuard({ queryTools: { t: [] } })).toThrow(ConfigError);
		expect(() => jitterGuard({ queryTools: { t: 'q' }, similarity: 2 })).toThrow(/in \(0, 1\]/);
		expect(() => jitterGuard({ queryTools: { t: 'q' }, maxSimilar: 0 })).toThrow(/at least 1/);
		expect(() => jitterGuard({ queryTools: { t: 'q' }, window: 2 })).toThrow(/window at least maxSimilar/);
	});
});
