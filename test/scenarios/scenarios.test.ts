import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarios, runScenario, type Scenario } from '../../scenarios/runScenario.js';

const scenarios = await loadScenarios(fileURLToPath(new URL('../../scenarios/', import.meta.url)));

describe('behaviour scenarios (npm run scenarios)', () => {
	it('cover every scenario the guards are specified against', () => {
		expect(scenarios.map((s) => s.name)).toEqual([
			'search query jitter loop',
			'double refund',
			'429 retry storm',
			'CRM lookup cascade (reordered words)',
			'RAG paraphrase loop',
			'ticket lookup cycle',
			'side-effect storm (refund, send_reply, cancel)',
			'budget overrun',
			'ping-pong between two agents',
			'three-agent circular delegation',
			'healthy workflow',
			'legitimate polling job',
		]);
	});

	it.each(scenarios.map((s) => [s.name, s] as const))('%s: every step decided as expected', async (_name, scenario) => {
		const result = await runScenario(scenario);
		expect(result.decisions).toEqual(scenario.expect);
		expect(result.executed).toBe(scenario.expect.filter((d) => d === 'run').length);
		expect(result.denied).toBe(scenario.expect.filter((d) => d === 'deny').length);
		expect(result.replayed).toBe(scenario.expect.filter((d) => d === 'replay').length);
	});

	it('the healthy workflow and the polling job have zero interventions', async () => {
		for (const name of ['healthy workflow', 'legitimate polling job']) {
			const result = await runScenario(scenarios.find((s) => s.name === name) as Scenario);
			expect(result.firstIntervention).toBeNull();
		}
	});

	it('names the guard that intervened first', async () => {
		const first = async (name: string) =>
			(await runScenario(scenarios.find((s) => s.name === name) as Scenario)).firstIntervention;
		expect(await first('double refund')).toEqual({ step: 2, rule: 'sideEffectLedger' });
		expect(await first('429 retry storm')).toEqual({ step: 3, rule: 'circuitBreaker' });
		expect(await first('budget overrun')).toEqual({ step: 3, rule: 'costBudget' });
		expect(await first('three-agent circular delegation')).toEqual({ step: 9, rule: 'sequenceGuard' });
	});

	it('rejects a malformed step', async () => {
		const bad: Scenario = { name: 'bad', description: '', steps: [{ tool: 't', argz: {} } as never], expect: [] };
		await expect(runScenario(bad)).rejects.toThrow(/step 1 has unknown keys argz/);
	});
});
