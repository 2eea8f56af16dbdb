import { describe, expect, it } from 'vitest';
import { ConfigError, MemorySink, repeatGuard, ToolCallDenied, Warden } from '../../src/index.js';

const outcome = async (warden: Warden, tool: string, args: object, fn: () => unknown) => {
	const call = await warden.begin(tool, args);
	if (call.replayed) return { action: 'replay', result: call.result };
	if (!call.allowed) return { action: 'deny', reason: call.decision.reason };
	try {
		const result = await fn();
		await call.succeed(result);
		return { action: 'run', result };
	} catch (error) {
		await call.fail(error);
		return { action: 'run', error };
	}
};

describe('repeatGuard', () => {
	it('the 3rd identical call with identical outcomes is replayed, then after maxReplays denied', async () => {
		const warden = new Warden({ contracts: [repeatGuard()] });
		let runs = 0;
		const lookup = () => outcome(warden, 'lookup', { id: 7 }, () => (runs++, { name: 'Ann' }));
		const actions = [];
		for (let i = 0; i < 6; i++) actions.push(await lookup());
		expect(actions.map((a) => a.action)).toEqual(['run', 'run', 'replay', 'replay', 'deny', 'deny']);
		expect(runs).toBe(2);
		expect(actions[2]?.result).toEqual({ name: 'Ann' });
		expect(actions[4]?.reason).toMatch(
			/Loop detected: "lookup" was called with the same arguments 5 times with the same result/,
		);
	});

	it('replays through warden.run and audits call_replayed only', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ contracts: [repeatGuard()], audit: sink });
		for (let i = 0; i < 2; i++) await warden.run('t', { q: 1 }, () => 'same');
		sink.clear();
		await expect(warden.run('t', { q: 1 }, () => 'fresh')).resolves.toBe('same');
		expect(sink.events.map((e) => e.action)).toEqual(['call_replayed']);
		expect(sink.events[0]).toMatchObject({ decisionSource: 'behavior', decisionRule: 'repeatGuard' });
	});

	it('never stops a poller whose results change', async () => {
		const warden = new Warden({ contracts: [repeatGuard()] });
		const states = ['queued', 'running 10%', 'running 40%', 'running 70%', 'running 90%', 'done'];
		const seen: string[] = [];
		for (const state of states) seen.push(String(await warden.run('job_status', { job: 'j1' }, () => state)));
		expect(seen).toEqual(states);
	});

	it('repeated identical failures are denied (there is nothing to replay)', async () => {
		const warden = new Warden({ contracts: [repeatGuard()] });
		const fail = () =>
			outcome(warden, 'fetch', { url: 'x' }, () => Promise.reject(Object.assign(new Error('boom'), { status: 500 })));
		const actions = [await fail(), await fail(), await fail()];
		expect(actions.map((a) => a.action)).toEqual(['run', 'run', 'deny']);
		expect(actions[2]?.reason).toMatch(/failed the same way 2 times/);
	});

	it('different args are different calls; key order does not matter', async () => {
		const warden = new Warden({ contracts: [repeatGuard()] });
		await warden.run('t', { a: 1, b: 2 }, () => 'r');
		await warden.run('t', { b: 2, a: 1 }, () => 'r');
		const third = await warden.begin('t', { a: 1, b: 2 });
		expect(third.replayed).toBe(true);
		const other = await warden.begin('t', { a: 1, b: 3 });
		expect(other.allowed).toBe(true);
	});

	it('ignores volatile args per tool', async () => {
		const warden = new Warden({ contracts: [repeatGuard({ ignoreArgs: { '*': ['requestId'] } })] });
		await warden.run('t', { q: 1, requestId: 'r1' }, () => 'r');
		await warden.run('t', { q: 1, requestId: 'r2' }, () => 'r');
		expect((await warden.begin('t', { q: 1, requestId: 'r3' })).replayed).toBe(true);
	});

	it('declared pollers get a higher threshold', async () => {
		const warden = new Warden({ contracts: [repeatGuard({ pollTools: ['status'], pollThreshold: 5 })] });
		const results = [];
		for (let i = 0; i < 5; i++) results.push((await warden.begin('status', {})).allowed);
		// begin without completing: no outcome is recorded, so nothing is a loop yet
		expect(results.every(Boolean)).toBe(true);
		for (let i = 0; i < 4; i++) await warden.run('status', { id: 1 }, () => 'pending');
		expect((await warden.begin('status', { id: 1 })).replayed).toBe(true);
	});

	it('keeps state per session, bounded by its window', async () => {
		const warden = new Warden({ contracts: [repeatGuard({ window: 2 })] });
		for (const s of ['a', 'b'])
			for (let i = 0; i < 2; i++) await warden.run('t', { q: 1 }, () => 'r', { sessionId: s });
		expect((await warden.begin('t', { q: 1 }, { sessionId: 'a' })).replayed).toBe(true);
		expect((await warden.begin('t', { q: 1 }, { sessionId: 'c' })).allowed).toBe(true);
		// Three other calls push the first out of a window of 2: it is forgotten.
		const w = new Warden({ contracts: [repeatGuard({ window: 2 })] });
		for (let i = 0; i < 2; i++) await w.run('t', { q: 0 }, () => 'r');
		for (let q = 1; q <= 2; q++) await w.run('t', { q }, () => 'r');
		expect((await w.begin('t', { q: 0 })).allowed).toBe(true);
	});

	it('denies through run with a ToolCallDenied naming the guard', async () => {
		const warden = new Warden({ contracts: [repeatGuard({ maxReplays: 0 })] });
		for (let i = 0; i < 2; i++) await warden.run('t', {}, () => 1);
		const error = await warden.run('t', {}, () => 1).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ToolCallDenied);
		expect(error).toMatchObject({ source: 'behavior', rule: 'repeatGuard' });
	});

	it('validates options', () => {
		expect(() => repeatGuard({ threshhold: 3 } as never)).toThrow(/Did you mean "threshold"/);
		expect(() => repeatGuard({ threshold: 1 })).toThrow(ConfigError);
		expect(() => repeatGuard({ pollTools: 'status' as never })).toThrow(/array of tool names/);
		expect(() => repeatGuard({ mode: 'shadow' as never })).toThrow(/mode must be one of/);
	});
});
