import { describe, expect, it } from 'vitest';
import { ConfigError, costBudget, precondition, Verdict, Warden } from '../../src/index.js';

describe('costBudget', () => {
	it('sums money exactly: 19 calls at $0.04 reach $0.76', async () => {
		const warden = new Warden({ contracts: [costBudget({ maxUsd: 0.76, costs: { image: 0.04 } })] });
		for (let i = 0; i < 19; i++) await warden.run('image', {}, () => 'png');
		const report = await warden.report();
		expect(report.cost).toEqual({ spentUsd: 0.76, budgetUsd: 0.76 });
		// Reaching the budget exactly was allowed; one more would cross it.
		const next = await warden.begin('image', {});
		expect(next.allowed).toBe(false);
		expect(next.decision.reason).toMatch(
			/Budget exceeded: "image" costs \$0.04, and \$0.76 of the \$0.76 budget is spent/,
		);
	});

	it('denies the call whose projected cost would cross the budget, before it runs', async () => {
		const warden = new Warden({ contracts: [costBudget({ maxUsd: 1, costs: { big: 0.7 }, defaultCost: 0.1 })] });
		await warden.run('big', {}, () => 1);
		let ran = false;
		await expect(warden.run('big', {}, () => (ran = true))).rejects.toMatchObject({
			source: 'behavior',
			rule: 'costBudget',
		});
		expect(ran).toBe(false);
		await warden.run('small', {}, () => 1);
		await warden.run('small', {}, () => 1);
		await warden.run('small', {}, () => 1);
		await expect(warden.run('small', {}, () => 1)).rejects.toMatchObject({ rule: 'costBudget' });
	});

	it('concurrent calls cannot overshoot', async () => {
		const warden = new Warden({
			contracts: [costBudget({ maxUsd: 1, defaultCost: 0.25 })],
			limits: { maxToolCalls: Infinity },
		});
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, () => warden.run('t', {}, () => new Promise((r) => setTimeout(r, 5)))),
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
	});

	it('recordUsage adds real spend, priced per token, and later calls see it', async () => {
		const warden = new Warden({
			contracts: [
				costBudget({
					maxUsd: 0.05,
					defaultCost: 0.01,
					tokenPrices: { inputUsdPerMillion: 3, outputUsdPerMillion: 15 },
				}),
			],
		});
		await expect(warden.recordUsage({ inputTokens: 10_000, outputTokens: 1_000 })).resolves.toBe(0.045);
		await expect(warden.recordUsage({ costUsd: 0.005 })).resolves.toBe(0.05);
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ rule: 'costBudget' });
		await expect(warden.recordUsage({ inputTokens: 1.5 })).rejects.toThrow(/non-negative integer/);
		await expect(warden.recordUsage({ costUsd: -1 })).rejects.toThrow(ConfigError);
		await expect(new Warden().recordUsage({ inputTokens: 5 })).rejects.toThrow(/no costBudget has tokenPrices/);
	});

	it('a reservation is refunded when a later step denies the call', async () => {
		const warden = new Warden({
			contracts: [costBudget({ maxUsd: 1, defaultCost: 0.5 }), precondition('*', () => Verdict.pass())],
			limits: { maxCallsPerTool: { blocked: 0 } },
		});
		await warden.run('blocked', {}, () => 1).catch(() => undefined);
		expect((await warden.report()).cost.spentUsd).toBe(0);
	});

	it('validates options', () => {
		expect(() => costBudget({} as never)).toThrow(/maxUsd must be a non-negative number/);
		expect(() => costBudget({ maxUsd: 1, costs: { t: -1 } })).toThrow(ConfigError);
		expect(() => costBudget({ maxUsd: 1, tokenPrices: { inputUsdPerMillion: 1 } as never })).toThrow(
			/outputUsdPerMillion/,
		);
	});
});
