import { describe, expect, it } from 'vitest';
import { MemorySink, precondition, sessionContract, Verdict, Warden } from '../../src/index.js';

// docs/pipeline.md: while every rule and the store answer synchronously, governance makes no promise of its own, so
// the tool starts in the same turn as `run` was called; the first asynchronous answer moves the rest of the call on.
describe('a governed call with synchronous rules and store', () => {
	const rules = () => [
		precondition('*', () => Verdict.pass(), { name: 'open' }),
		sessionContract(() => Verdict.pass(), { name: 'budget' }),
	];

	it('starts the tool before run() returns, and audits the call', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ contracts: rules(), audit: sink });
		let ran = false;
		const pending = warden.run('search', { q: 'refunds' }, () => {
			ran = true;
			return 'ok';
		});
		expect(ran).toBe(true);
		await expect(pending).resolves.toBe('ok');
		expect(sink.events.map((event) => event.action)).toEqual(['call_allowed', 'call_executed']);
	});

	it('waits for a rule that answers with a promise, then evaluates the rest in order', async () => {
		const order: string[] = [];
		const warden = new Warden({
			contracts: [
				precondition('*', async () => (order.push('async precondition'), Verdict.pass()), { name: 'slow' }),
				sessionContract(() => (order.push('session contract'), Verdict.pass()), { name: 'after' }),
			],
		});
		let ran = false;
		const pending = warden.run('search', { q: 'refunds' }, () => {
			ran = true;
			order.push('tool');
		});
		expect(ran).toBe(false);
		await pending;
		expect(order).toEqual(['async precondition', 'session contract', 'tool']);
	});
});
