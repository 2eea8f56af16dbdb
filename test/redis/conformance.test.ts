import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisStorage } from '../../src/redis/index.js';
import { storageConformance } from '../storage/conformance.js';
import { redisAvailable, RedisServer } from './redisServer.js';

let server: RedisServer | undefined;
const stores: RedisStorage[] = [];

beforeAll(async () => {
	if (redisAvailable) server = await RedisServer.start();
});
afterAll(async () => {
	await Promise.all(stores.map((s) => s.close()));
	await server?.stop();
});

storageConformance(
	'RedisStorage',
	() => {
		const store = new RedisStorage({ url: server?.url ?? 'redis://127.0.0.1:1', keyPrefix: 'conformance:' });
		stores.push(store);
		return store;
	},
	{
		skip: !redisAvailable,
		// The server restarted without persistence, as far as this session can tell.
		loseSession: async (_store, sessionId) => {
			const admin = new Redis(server?.url ?? '');
			await admin.del(`conformance:{${sessionId}}:s`, `conformance:{${sessionId}}:v`);
			await admin.quit();
		},
	},
);
