import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sessionContract, Verdict, Warden, type SessionView } from '../../src/index.js';

describe('the session view a session contract gets', () => {
	it('is read-only, shows its counters when logged, and counts a tool named like an Object member as 0', async () => {
		const seen: SessionView[] = [];
		const warden = new Warden({
			sessionId: 's1',
			contracts: [sessionContract((session) => (seen.push(session), Verdict.pass()))],
		});
		await warden.run('read', { q: 1 }, () => 1);
		await warden.run('read', { q: 2 }, () => 2);
		const view = seen[1] as SessionView;
		expect(() => {
			(view as { attempts: number }).attempts = 99;
		}).toThrow(TypeError);
		expect(JSON.parse(JSON.stringify(view))).toEqual({ id: 's1', attempts: 2, executions: 1, consecutiveFailures: 0 });
		expect(inspect(view)).toContain('attempts: 2');
		expect(view.toolExecutions('read')).toBe(1);
		expect(view.toolExecutions('constructor')).toBe(0);
		// Each call's view is its own snapshot: the first call's view did not move on.
		expect(seen[0]?.attempts).toBe(1);
	});
});
