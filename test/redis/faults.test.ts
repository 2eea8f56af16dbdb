import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink, repeatGuard, ToolCallDenied, Warden } from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { freePort, redisAvailable, RedisServer } from './redisServer.js';

describe.skipIf(!redisAvailable)('RedisStorage faults', () => {
	let server: RedisServer;
	beforeAll(async () => {
		server = await RedisServer.start();
	});
	afterAll(async () => {
		await server.stop();
	});

	it('Redis down at start: calls are denied with storage_unavailable within the timeout, never hang', async () => {
		const port = await freePort();
		const storage = new RedisStorage({ url: `redis://127.0.0.1:${port}`, timeoutMs: 300 });
		const warden = new Warden({ storage });
		const started = performance.now();
		const error = await warden.run('t', {}, () => 'ran').catch((e: unknown) => e);
		expect(performance.now() - started).toBeLessThan(1500);
		expect(error).toBeInstanceOf(ToolCallDenied);
		expect(error).toMatchObject({ source: 'storage_unavailable' });
		await storage.close();
	});

	it('Redis stopped mid-run fails closed; restarted without its data, the session is lost state until reset', async () => {
		const storage = new RedisStorage({ url: server.url, timeoutMs: 400, keyPrefix: `restart-${Date.now()}:` });
		const warden = new Warden({ storage, limits: { maxToolCalls: 3 } });
		await expect(warden.run('t', {}, () => 'ok')).resolves.toBe('ok');
		await server.stop();
		const started = performance.now();
		await expect(warden.run('t', {}, () => 'ok')).rejects.toMatchObject({ source: 'storage_unavailable' });
		expect(performance.now() - started).toBeLessThan(2000);
		await server.restart();
		// The client reconnects by itself; the restarted server lost the session's counts, which is never silent.
		let resumed: unknown;
		for (let i = 0; i < 50 && !(resumed instanceof ToolCallDenied && /was lost/.test(resumed.reason)); i++) {
			resumed = await warden.run('t', {}, () => 'ok').catch((e: unknown) => e);
			if (resumed === 'ok') break;
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(resumed).toMatchObject({
			source: 'storage_unavailable',
			reason: expect.stringMatching(/was lost.*resetSession/) as unknown,
		});
		await warden.resetSession();
		await warden.run('t', {}, () => 'ok');
		await warden.run('t', {}, () => 'ok');
		await warden.run('t', {}, () => 'ok');
		await expect(warden.run('t', {}, () => 'ok')).rejects.toMatchObject({ source: 'execution_limit' });
		await storage.close();
	});

	it('a script error (a key of the wrong type) fails closed, and the script cache is reloaded after a flush', async () => {
		const prefix = `script-${Date.now()}:`;
		const storage = new RedisStorage({ url: server.url, keyPrefix: prefix });
		const warden = new Warden({ storage, sessionId: 's' });
		await warden.run('t', {}, () => 1);
		const { Redis } = await import('ioredis');
		const raw = new Redis(server.url);
		await raw.script('FLUSH');
		await expect(warden.run('t', {}, () => 2)).resolves.toBe(2); // NOSCRIPT: loaded again transparently
		await raw.set(`${prefix}{s}:s`, 'not a hash');
		await expect(warden.run('t', {}, () => 3)).rejects.toMatchObject({ source: 'storage_unavailable' });
		await raw.quit();
		await storage.close();
	});

	it("failMode 'open' lets calls run when Redis is down, and audits the fact as a would-deny", async () => {
		const port = await freePort();
		const storage = new RedisStorage({ url: `redis://127.0.0.1:${port}`, timeoutMs: 200, failMode: 'open' });
		const sink = new MemorySink();
		const warden = new Warden({ storage, audit: sink, contracts: [repeatGuard()] });
		await expect(warden.run('t', { q: 1 }, () => 'ran anyway')).resolves.toBe('ran anyway');
		expect(sink.events.map((e) => e.action)).toEqual(['call_would_deny', 'call_executed']);
		expect(sink.events[0]).toMatchObject({ decisionSource: 'storage_unavailable', decisionRule: 'storage' });
		expect(sink.events[0]?.reason).toMatch(/failMode 'open'/);
		await storage.close();
	});

	it('validates its options', () => {
		expect(() => new RedisStorage({ url: 'http://x' })).toThrow(/redis:\/\//);
		expect(() => new RedisStorage({ failMode: 'maybe' as never })).toThrow(/failMode must be one of/);
		expect(() => new RedisStorage({ timeout: 5 } as never)).toThrow(/Did you mean "timeoutMs"/);
		expect(() => new RedisStorage({ client: {} as never })).toThrow(/ioredis client/);
	});
});
