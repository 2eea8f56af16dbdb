import { describe, expect, it } from 'vitest';
import { ConfigError, denialStreak, MemoryStorage, precondition, Verdict, Warden } from '../../src/index.js';
import type { SessionCounters } from '../../src/extend.js';
import { defineGuard } from '../../src/guards/defineGuard.js';

describe('denialStreak', () => {
	it('halts the session after N consecutive denials until reset', async () => {
		const warden = new Warden({
			contracts: [denialStreak({ halt: 3 }), precondition('bad', () => Verdict.fail('no'), { name: 'bad' })],
		});
		for (let i = 0; i < 3; i++)
			await expect(warden.run('bad', {}, () => 1)).rejects.toMatchObject({ source: 'precondition' });
		const halted = await warden.run('good', {}, () => 1).catch((e: unknown) => e);
		expect(halted).toMatchObject({ source: 'session_halted', rule: 'denialStreak' });
		expect((halted as Error).message).toMatch(/halted after 3 denied calls in a row/);
		expect((await warden.report()).interventions).toMatchObject({ bad: 3, denialStreak: 2 });
		await warden.resetSession();
		await expect(warden.run('good', {}, () => 'back')).resolves.toBe('back');
	});

	it('a call that runs ends the streak', async () => {
		const warden = new Warden({
			contracts: [denialStreak({ halt: 2 }), precondition('bad', () => Verdict.fail('no'))],
		});
		await warden.run('bad', {}, () => 1).catch(() => undefined);
		await warden.run('good', {}, () => 1);
		await warden.run('bad', {}, () => 1).catch(() => undefined);
		await expect(warden.run('good', {}, () => 'still ok')).resolves.toBe('still ok');
	});

	it('defaults to 5 and validates', async () => {
		const warden = new Warden({ contracts: [denialStreak()], limits: { maxToolCalls: 0 } });
		for (let i = 0; i < 5; i++)
			await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'execution_limit' });
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'session_halted' });
		expect(() => denialStreak({ halt: 0 })).toThrow(ConfigError);
		expect(() => denialStreak({ halts: 2 } as never)).toThrow(/Did you mean "halt"/);
	});

	it('a halted session is denied under the rule of the guard that halted it', async () => {
		// Any guard may halt through the protocol's onDenial: the denials name it, not a built-in.
		const tripwire = defineGuard('tripwire', { onDenial: () => 'Tripped: stop.' }, {});
		const warden = new Warden({ contracts: [tripwire, precondition('bad', () => Verdict.fail('no'))] });
		await expect(warden.run('bad', {}, () => 1)).rejects.toMatchObject({ source: 'precondition' });
		await expect(warden.run('good', {}, () => 1)).rejects.toMatchObject({
			source: 'session_halted',
			rule: 'tripwire',
			message: expect.stringContaining('Tripped: stop.'),
		});
	});

	it("a store that does not keep the halting rule: the denials name the Warden's halting guard", async () => {
		// A store written before `haltedBy` existed: it halts, but answers no rule.
		class OlderStore extends MemoryStorage {
			override beginAttempt(sessionId: string): SessionCounters {
				const { haltedBy: _dropped, ...counters } = super.beginAttempt(sessionId);
				return counters;
			}
		}
		const warden = new Warden({
			storage: new OlderStore(),
			contracts: [denialStreak({ halt: 1 }), precondition('bad', () => Verdict.fail('no'))],
		});
		await expect(warden.run('bad', {}, () => 1)).rejects.toMatchObject({ source: 'precondition' });
		await expect(warden.run('good', {}, () => 1)).rejects.toMatchObject({
			source: 'session_halted',
			rule: 'denialStreak',
		});
	});
});
