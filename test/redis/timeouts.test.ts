import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	beforeHook,
	circuitBreaker,
	sessionContract,
	Verdict,
	costBudget,
	HookDecision,
	jitterGuard,
	MemorySink,
	repeatGuard,
	sequenceGuard,
	sideEffectLedger,
	ToolCallDenied,
	Warden,
	type Contract,
} from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { DelayProxy } from './delayProxy.js';
import { freePort, redisAvailable, RedisServer } from './redisServer.js';

const TIMEOUT = 300;
/** The per-call bound of API §8: `timeoutMs`, plus 100 ms. */
const BOUND = TIMEOUT + 100;
const guards = (): Contract[] => [
	repeatGuard(),
	sideEffectLedger(),
	circuitBreaker(),
	sequenceGuard(),
	jitterGuard({ queryTools: { t: 'q' } }),
	costBudget({ maxUsd: 10, defaultCost: 0.01 }),
];
const tools = { t: { sideEffect: 'write' as const } };

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: unknown }> {
	const started = performance.now();
	const value = await fn().catch((e: unknown) => e);
	return { ms: performance.now() - started, value };
}

describe.skipIf(!redisAvailable)('RedisStorage: one bound per call, end to end; no leak in an outage', () => {
	let server: RedisServer;
	let proxy: DelayProxy;
	const stores: RedisStorage[] = [];
	beforeAll(async () => {
		server = await RedisServer.start();
		proxy = await DelayProxy.start(server.port);
	});
	afterEach(() => {
		proxy.delayMs = 0;
	});
	afterAll(async () => {
		await Promise.all(stores.map((s) => s.close()));
		await proxy.stop();
		await server.stop();
	});
	const connected = async (failMode: 'open' | 'closed') => {
		const storage = new RedisStorage({
			url: proxy.url,
			keyPrefix: `slow-${Date.now()}-${Math.random()}:`,
			timeoutMs: TIMEOUT,
			failMode,
		});
		stores.push(storage);
		await storage.totals('warm-up');
		return storage;
	};

	it("a slow store (every answer 2 s late) denies a call with six guards within timeoutMs + 100 ms, failMode 'closed'", async () => {
		const warden = new Warden({ storage: await connected('closed'), contracts: guards(), tools });
		proxy.delayMs = 2000;
		const { ms, value } = await timed(() => warden.run('t', { q: 'x' }, () => 'ran'));
		expect(value).toBeInstanceOf(ToolCallDenied);
		expect(value).toMatchObject({ source: 'storage_unavailable' });
		expect(ms).toBeLessThan(BOUND);
	});

	it("failMode 'open' with six guards runs the call within timeoutMs + 100 ms, audited, not once per guard", async () => {
		const sink = new MemorySink();
		const warden = new Warden({ storage: await connected('open'), contracts: guards(), tools, audit: sink });
		proxy.delayMs = 2000;
		const { ms, value } = await timed(() => warden.run('t', { q: 'x' }, () => 'ran'));
		expect(value).toBe('ran');
		expect(ms).toBeLessThan(BOUND);
		expect(sink.events.map((e) => e.action)).toEqual(['call_would_deny', 'call_executed']);
		expect(sink.events[0]).toMatchObject({ decisionSource: 'storage_unavailable' });
	});

	it('a guard whose store read times out is storage_unavailable, not policy_error, and the call still ends within the bound', async () => {
		const slowAfterAttempt = beforeHook('*', () => {
			// The attempt was counted on time; from here on the store is slow.
			proxy.delayMs = 2000;
			return HookDecision.allow();
		});
		const warden = new Warden({
			storage: await connected('closed'),
			contracts: [repeatGuard()],
			hooks: [slowAfterAttempt],
		});
		const { ms, value } = await timed(() => warden.run('t', { q: 'x' }, () => 'ran'));
		expect(value).toMatchObject({ source: 'storage_unavailable', rule: 'storage' });
		expect((value as ToolCallDenied).decision.contracts).toEqual([]);
		expect(ms).toBeLessThan(BOUND);
	});

	it('the outcome of a call that ran gets its own bound: a store that turns slow after the decision does not hold the result', async () => {
		const warden = new Warden({ storage: await connected('closed'), contracts: [sideEffectLedger()], tools });
		const { ms, value } = await timed(() =>
			warden.run('t', { q: 'y' }, () => {
				proxy.delayMs = 2000;
				return 'ran';
			}),
		);
		expect(value).toBe('ran');
		expect(ms).toBeLessThan(BOUND + TIMEOUT);
	});

	it("failMode 'open': a ledger entry claimed before the store turned slow is still completed after the run", async () => {
		// Slow just long enough to miss the decision's bound: the reservation is late, the call goes on without it.
		const slowFromHere = sessionContract(
			() => {
				proxy.delayMs = TIMEOUT + 100;
				return Verdict.pass();
			},
			{ name: 'slowFromHere' },
		);
		const sink = new MemorySink();
		const storage = await connected('open');
		const contracts = [sideEffectLedger(), slowFromHere];
		const warden = new Warden({ storage, sessionId: 'ledger', contracts, tools, audit: sink });
		let runs = 0;
		const run = () => {
			runs++;
			proxy.delayMs = 0;
			return 'charged';
		};
		await expect(warden.run('t', { q: 'charge' }, run)).resolves.toBe('charged');
		expect(sink.events[0]).toMatchObject({ action: 'call_would_deny', decisionSource: 'storage_unavailable' });
		await new Promise((resolve) => setTimeout(resolve, TIMEOUT));
		// Not pending until the TTL: the identical call is answered from the ledger, and the tool does not run again.
		const plain = new Warden({ storage, sessionId: 'ledger', contracts: [sideEffectLedger()], tools });
		await expect(plain.run('t', { q: 'charge' }, run)).resolves.toBe('charged');
		expect(runs).toBe(1);
	});

	it('an unreachable store: each call fails within the bound, no ready listener piles up, no MaxListenersExceededWarning', async () => {
		const port = await freePort();
		const client = new Redis(`redis://127.0.0.1:${port}`, {
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			retryStrategy: () => 20,
			connectTimeout: 200,
		});
		const storage = new RedisStorage({ client, timeoutMs: TIMEOUT });
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => warnings.push(warning);
		process.on('warning', onWarning);
		try {
			const warden = new Warden({ storage, contracts: guards(), tools });
			const listeners = () => client.listenerCount('ready') + client.listenerCount('close');
			let slowest = 0;
			for (let round = 0; round < 5; round++) {
				const results = await Promise.all(
					Array.from({ length: 20 }, () => timed(() => warden.run('t', { q: 'x' }, () => 'ran'))),
				);
				for (const { ms, value } of results) {
					expect(value).toMatchObject({ source: 'storage_unavailable' });
					slowest = Math.max(slowest, ms);
				}
				expect(listeners()).toBeLessThanOrEqual(2);
			}
			expect(slowest).toBeLessThan(BOUND);
			await new Promise((resolve) => setImmediate(resolve));
			expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
		} finally {
			process.off('warning', onWarning);
			client.disconnect();
		}
	});
});

describe.skipIf(!redisAvailable)('RedisStorage with requirepass', () => {
	const PASSWORD = 'pw-Zq8-requirepass';
	let server: RedisServer;
	beforeAll(async () => {
		server = await RedisServer.start(undefined, { password: PASSWORD });
	});
	afterAll(async () => {
		await server.stop();
	});

	it('authenticates with the password in the URL, and a wrong password fails closed without echoing it', async () => {
		const good = new RedisStorage({ url: server.url, timeoutMs: TIMEOUT });
		await expect(new Warden({ storage: good, limits: { maxToolCalls: 1 } }).run('t', {}, () => 'ok')).resolves.toBe(
			'ok',
		);
		await good.close();
		const wrong = new RedisStorage({ url: `redis://:not-${PASSWORD}@127.0.0.1:${server.port}`, timeoutMs: TIMEOUT });
		const { ms, value } = await timed(() => new Warden({ storage: wrong }).run('t', {}, () => 'ran'));
		expect(value).toMatchObject({ source: 'storage_unavailable' });
		expect((value as ToolCallDenied).reason).not.toContain(PASSWORD);
		expect(ms).toBeLessThan(BOUND + 1000);
		await wrong.close();
	});
});
