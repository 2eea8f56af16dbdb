import { describe, expect, it } from 'vitest';
import { ConfigError, sequenceGuard, Warden } from '../../src/index.js';

async function play(warden: Warden, tools: string[]): Promise<string[]> {
	const out: string[] = [];
	for (const tool of tools) out.push((await warden.begin(tool, {})).allowed ? 'ok' : 'deny');
	return out;
}

describe('sequenceGuard', () => {
	it('ping-pong A→B repeated 3 times: the call completing the 3rd round is denied, both tools quarantined', async () => {
		const warden = new Warden({ contracts: [sequenceGuard()] });
		expect(await play(warden, ['ask_b', 'ask_a', 'ask_b', 'ask_a', 'ask_b', 'ask_a', 'ask_b', 'search'])).toEqual([
			'ok',
			'ok',
			'ok',
			'ok',
			'ok',
			'deny',
			'deny',
			'ok',
		]);
		const report = await warden.report();
		expect(report.quarantined.map((q) => q.tool).sort()).toEqual(['ask_a', 'ask_b']);
		expect(report.quarantined[0]?.reason).toMatch(/Cycle detected: ask_b → ask_a → ask_b repeated 3 times/);
	});

	it('a three-agent circular delegation', async () => {
		const warden = new Warden({ contracts: [sequenceGuard()] });
		const cycle = ['delegate_b', 'delegate_c', 'delegate_a'];
		expect(await play(warden, [...cycle, ...cycle, ...cycle])).toEqual([
			'ok',
			'ok',
			'ok',
			'ok',
			'ok',
			'ok',
			'ok',
			'ok',
			'deny',
		]);
	});

	it('ordinary alternation below the threshold, and varied work, pass', async () => {
		const warden = new Warden({ contracts: [sequenceGuard()] });
		expect(await play(warden, ['read', 'edit', 'read', 'edit', 'test', 'read', 'edit', 'commit'])).toEqual(
			Array(8).fill('ok'),
		);
		// One tool repeated is not a cycle (repeatGuard's job).
		expect(await play(new Warden({ contracts: [sequenceGuard()] }), Array(10).fill('poll'))).toEqual(
			Array(10).fill('ok'),
		);
	});

	it('validates options', () => {
		expect(() => sequenceGuard({ minCycle: 1 })).toThrow(ConfigError);
		expect(() => sequenceGuard({ repeat: 3 } as never)).toThrow(/Did you mean "repeats"/);
	});
});
