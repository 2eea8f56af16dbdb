import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circuitBreaker, jitterGuard, repeatGuard, sequenceGuard, sideEffectLedger, Warden } from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { redisAvailable, RedisServer } from './redisServer.js';

const PASSWORD = 'hunter2-Tr0ub4dor';
const TOKEN = `sk-ant-api03-${'Q'.repeat(48)}`;

const attempt = (fn: () => Promise<unknown>) => fn().catch((e: unknown) => e);

/** Everything under a prefix, keys and values, as one string. */
async function dump(admin: Redis, prefix: string): Promise<string> {
	const out: string[] = [];
	for (const key of await admin.keys(`${prefix}*`)) {
		const type = await admin.type(key);
		out.push(
			key,
			type === 'hash'
				? JSON.stringify(await admin.hgetall(key))
				: type === 'string'
					? String(await admin.get(key))
					: type,
		);
	}
	return out.join('\n');
}

describe.skipIf(!redisAvailable)('RedisStorage: no argument text in keys, no secret in values', () => {
	let server: RedisServer;
	let admin: Redis;
	const stores: RedisStorage[] = [];
	beforeAll(async () => {
		server = await RedisServer.start();
		admin = new Redis(server.url);
	});
	afterAll(async () => {
		await Promise.all(stores.map((s) => s.close()));
		await admin.quit();
		await server.stop();
	});

	it('a password in the args and secrets in results never appear in KEYS or values; replays return the redacted copy', async () => {
		const prefix = `secrets-${Date.now()}:`;
		const storage = new RedisStorage({ url: server.url, keyPrefix: prefix });
		stores.push(storage);
		const contracts = [
			repeatGuard(),
			sideEffectLedger(),
			jitterGuard({ queryTools: { search: 'q' } }),
			circuitBreaker(),
			sequenceGuard(),
		];
		const warden = new Warden({ storage, sessionId: 'secrets', contracts, tools: { login: { sideEffect: 'write' } } });
		const login = () => ({ ok: true, session: TOKEN, password: PASSWORD });
		await warden.run('login', { user: 'ann', password: PASSWORD }, login);
		const replayed = await warden.run('login', { user: 'ann', password: PASSWORD }, login);
		expect(replayed).toEqual({ ok: true, session: '[REDACTED]', password: '[REDACTED]' });
		// The fourth near-identical query (API §7's default: three tries are refinement) is quarantined: the guard
		// compares fingerprinted tokens as it did words.
		const searches = [];
		for (let i = 0; i < 4; i++)
			searches.push(
				await attempt(() =>
					warden.run('search', { q: `reset password ${PASSWORD} now ${i}` }, () => ({ apiKey: TOKEN })),
				),
			);
		expect(searches.map((r) => (r instanceof Error ? r.name : 'ran'))).toEqual(['ran', 'ran', 'ran', 'ToolCallDenied']);
		await attempt(() =>
			warden.run('fetch', { url: `https://ann:${PASSWORD}@example.com/` }, () => Promise.reject(new Error('boom'))),
		);

		const everything = await dump(admin, prefix);
		expect(everything).toContain('sideEffectLedger'); // the dump did see the guards' state
		expect(everything).toContain('[REDACTED]');
		for (const secret of [PASSWORD, TOKEN, 'hunter2', 'ann:', 'reset password'])
			expect(everything).not.toContain(secret);
	});

	it('fingerprints follow fingerprintKey: the same key agrees across processes, another key does not', async () => {
		const make = (fingerprintKey?: string) => {
			const storage = new RedisStorage({
				url: server.url,
				keyPrefix: 'fp:',
				...(fingerprintKey === undefined ? {} : { fingerprintKey }),
			});
			stores.push(storage);
			return storage;
		};
		expect(make('k1').fingerprint('x')).toBe(make('k1').fingerprint('x'));
		expect(make('k1').fingerprint('x')).not.toBe(make('k2').fingerprint('x'));
		expect(make().fingerprint('x')).toBe(make().fingerprint('x'));
		expect(() => new RedisStorage({ fingerprintKey: 42 as never })).toThrow(/fingerprintKey/);
	});

	it('a result that cannot be serialised still completes its ledger entry: identical calls replay a copy, never wait for the TTL', async () => {
		const storage = new RedisStorage({ url: server.url, keyPrefix: `unser-${Date.now()}:` });
		stores.push(storage);
		const warden = new Warden({
			storage,
			sessionId: 'u',
			contracts: [sideEffectLedger()],
			tools: { charge: { sideEffect: 'irreversible' } },
		});
		let runs = 0;
		const charge = () => {
			runs++;
			const receipt: Record<string, unknown> = { id: 'ch_1', amount: 10n, notify: () => undefined };
			receipt['self'] = receipt;
			return receipt;
		};
		await warden.run('charge', { amount: 10 }, charge);
		const again = await warden.run('charge', { amount: 10 }, charge);
		expect(runs).toBe(1);
		expect(again).toMatchObject({ id: 'ch_1', amount: '10', self: '[Circular]' });
	});
});
