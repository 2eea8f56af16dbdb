import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemorySink, precondition, Verdict, Warden } from '../../src/index.js';

// docs/audit.md: the clock (`Date`) is read once per call, when governance begins; a pre event carries that time, a
// post event that time plus its durationMs.
describe('audit event timestamps', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('follow Date (fake timers apply): pre events at the start, post events at the start plus their duration', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const start = Date.parse('2026-03-01T10:00:00.000Z');
		vi.setSystemTime(start);
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [precondition('delete', () => Verdict.fail('Never delete.'), { name: 'noDelete' })],
		});
		// Date stands still while the tool takes real time: the post event's time can only come from the duration.
		await warden.run('read', { q: 1 }, () => sleep(20));
		await expect(warden.run('delete', { id: 1 }, () => 1)).rejects.toThrow('Never delete.');
		const [allowed, executed, denied] = sink.events;
		expect(allowed?.action).toBe('call_allowed');
		expect(allowed?.timestamp).toBe('2026-03-01T10:00:00.000Z');
		expect(denied?.action).toBe('call_denied');
		expect(denied?.timestamp).toBe('2026-03-01T10:00:00.000Z');
		expect(executed?.durationMs).toBeGreaterThanOrEqual(15);
		const post = Date.parse(executed?.timestamp ?? '');
		expect(Math.abs(post - (start + (executed?.durationMs ?? 0)))).toBeLessThanOrEqual(1);
	});
});
