import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	denialStreak,
	MemorySink,
	precondition,
	repeatGuard,
	sideEffectLedger,
	ToolCallDenied,
	Verdict,
	Warden,
} from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { redisAvailable, RedisServer } from './redisServer.js';

/** Runs a call; answers its result, or the ToolCallDenied it was denied with. */
const attempt = (warden: Warden, tool: string, args: object, fn: () => unknown) =>
	warden.run(tool, args, fn).catch((e: unknown) => e);

describe.skipIf(!redisAvailable)('RedisStorage: lost state is never silent', () => {
	let server: RedisServer;
	let admin: Redis;
	const stores: RedisStorage[] = [];
	const store = (prefix: string, options: { failMode?: 'open' | 'closed'; sessionTtlMs?: number } = {}) => {
		const storage = new RedisStorage({ url: server.url, keyPrefix: prefix, ...options });
		stores.push(storage);
		return storage;
	};
	let n = 0;
	const prefix = () => `lost-${Date.now()}-${++n}:`;

	beforeAll(async () => {
		server = await RedisServer.start();
		admin = new Redis(server.url);
	});
	afterAll(async () => {
		await Promise.all(stores.map((s) => s.close()));
		await admin.quit();
		await server.stop();
	});

	it('FLUSHALL mid-session: limits do not start over, a refund does not run twice, and every process is denied until reset', async () => {
		const p = prefix();
		const options = {
			sessionId: 's',
			limits: { maxToolCalls: 3 },
			contracts: [sideEffectLedger()],
			tools: { refund: { sideEffect: 'irreversible' as const } },
		};
		const warden = new Warden({ storage: store(p), ...options });
		let refunds = 0;
		await warden.run('refund', { orderId: 'A-1' }, () => ++refunds);
		await warden.run('lookup', { i: 1 }, () => 1);
		await admin.flushall();

		const denied = await attempt(warden, 'refund', { orderId: 'A-1' }, () => ++refunds);
		expect(denied).toBeInstanceOf(ToolCallDenied);
		expect(denied).toMatchObject({ source: 'storage_unavailable', rule: 'storage' });
		expect((denied as ToolCallDenied).reason).toMatch(
			/state of session "s" was lost: it vanished while in use.*resetSession/,
		);
		expect(refunds).toBe(1);
		// Another process, which never saw the session, is denied as well: the loss is recorded in the store.
		const other = new Warden({ storage: store(p), ...options });
		await expect(other.run('lookup', { i: 2 }, () => 2)).rejects.toMatchObject({
			source: 'storage_unavailable',
			reason: expect.stringMatching(/was lost/) as unknown,
		});

		// A person resets the session: it starts over, in every process, with its limits.
		await warden.resetSession('s');
		for (let i = 0; i < 3; i++) await other.run('lookup', { i }, () => i);
		await expect(warden.run('lookup', { i: 9 }, () => 9)).rejects.toMatchObject({ source: 'execution_limit' });
	});

	it('a halted session stays halted-or-lost after FLUSHALL: it never resumes quietly', async () => {
		const deny = precondition('*', () => Verdict.fail('no'), { name: 'no' });
		const warden = new Warden({
			storage: store(prefix()),
			sessionId: 'h',
			contracts: [denialStreak({ halt: 2 }), deny],
		});
		for (let i = 0; i < 3; i++) await attempt(warden, 't', {}, () => 1);
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'session_halted' });
		await admin.flushall();
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'storage_unavailable' });
	});

	it('one key expiring before its sibling is lost state; both keys share one expiry, refreshed together', async () => {
		const p = prefix();
		const warden = new Warden({
			storage: store(p, { sessionTtlMs: 60_000 }),
			sessionId: 'e',
			contracts: [repeatGuard()],
		});
		await warden.run('search', { q: 'a' }, () => 'A');
		const [state, values] = [`${p}{e}:s`, `${p}{e}:v`];
		const ttls = async () => [await admin.pttl(state), await admin.pttl(values)] as const;
		const [s1, v1] = await ttls();
		expect(s1).toBeGreaterThan(59_000);
		expect(Math.abs(s1 - v1)).toBeLessThan(100);
		await admin.pexpire(state, 30_000);
		await admin.pexpire(values, 30_000);
		await warden.run('search', { q: 'b' }, () => 'B');
		const [s2, v2] = await ttls();
		expect(s2).toBeGreaterThan(59_000);
		expect(v2).toBeGreaterThan(59_000);

		await admin.pexpire(values, 1);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(await admin.exists(values)).toBe(0);
		const denied = await attempt(warden, 'search', { q: 'a' }, () => 'A');
		expect(denied).toMatchObject({
			source: 'storage_unavailable',
			reason: expect.stringMatching(/lost its guard state/) as unknown,
		});
	});

	it('the counters expiring alone are lost state too, even for a process that never saw the session', async () => {
		const p = prefix();
		const warden = new Warden({ storage: store(p), sessionId: 'c', contracts: [repeatGuard()] });
		await warden.run('search', { q: 'a' }, () => 'A');
		await admin.del(`${p}{c}:s`);
		const stranger = new Warden({ storage: store(p), sessionId: 'c', contracts: [repeatGuard()] });
		await expect(stranger.run('search', { q: 'a' }, () => 'A')).rejects.toMatchObject({
			reason: expect.stringMatching(/lost its counters/) as unknown,
		});
	});

	it('a session idle past its TTL expires the ordinary way: it starts over without an alarm', async () => {
		const warden = new Warden({
			storage: store(prefix(), { sessionTtlMs: 100 }),
			sessionId: 'idle',
			limits: { maxToolCalls: 1 },
		});
		await warden.run('t', {}, () => 1);
		await new Promise((resolve) => setTimeout(resolve, 250));
		await expect(warden.run('t', {}, () => 2)).resolves.toBe(2);
	});

	it("failMode 'open': the call that finds the state lost runs and is audited; the session starts over once, in every process", async () => {
		const p = prefix();
		const sink = new MemorySink();
		const warden = new Warden({
			storage: store(p, { failMode: 'open' }),
			sessionId: 'o',
			audit: sink,
			limits: { maxToolCalls: 2 },
		});
		const peer = new Warden({
			storage: store(p, { failMode: 'open' }),
			sessionId: 'o',
			audit: sink,
			limits: { maxToolCalls: 2 },
		});
		await warden.run('t', {}, () => 1);
		await peer.run('t', {}, () => 1);
		await admin.flushall();
		let seen = sink.events.length;
		const since = () => sink.events.slice(seen);
		await expect(warden.run('t', {}, () => 'ran')).resolves.toBe('ran');
		expect(since().map((e) => e.action)).toEqual(['call_would_deny', 'call_executed']);
		expect(since()[0]).toMatchObject({
			decisionSource: 'storage_unavailable',
			reason: expect.stringMatching(/was lost.*started over.*failMode 'open'/) as unknown,
		});
		seen = sink.events.length;
		// The peer that saw the old session follows the new one quietly: one alarm per loss, not one per process.
		await peer.run('t', {}, () => 1);
		await warden.run('t', {}, () => 1);
		expect(since().map((e) => e.action)).toEqual(['call_allowed', 'call_executed', 'call_allowed', 'call_executed']);
		await expect(peer.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'execution_limit' });
	});
});
