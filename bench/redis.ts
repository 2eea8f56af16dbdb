import { performance } from 'node:perf_hooks';
import type * as RedisModule from '../src/redis/index.js';
import { redisAvailable, RedisServer } from '../test/redis/redisServer.js';
import { lib } from './lib.js';

/** Issue #5: governed calls per second per process with Redis on loopback, and round trips per allowed call. */
export async function benchRedis(): Promise<void> {
	console.log('\n== shared storage: Redis on loopback (issue #5) ==');
	if (!redisAvailable) {
		console.log('redis-server not installed: skipped (apt-get install redis-server)');
		return;
	}
	const { RedisStorage } = (await import(
		new URL('../dist/redis/index.js', import.meta.url).href
	)) as typeof RedisModule;
	const { Warden, precondition, sessionContract, Verdict } = lib;
	const server = await RedisServer.start();
	const { Redis } = await import('ioredis');
	const admin = new Redis(server.url);
	try {
		const contracts = () => [
			precondition('read_file', () => Verdict.pass(), { name: 'a' }),
			precondition('*', () => Verdict.pass(), { name: 'b' }),
			precondition(['read_file', 'write_file'], () => Verdict.pass(), { name: 'c' }),
			sessionContract(() => Verdict.pass(), { name: 'd' }),
		];
		const storage = new RedisStorage({ url: server.url, keyPrefix: 'bench:' });
		const tool = (a: Readonly<{ i: number }>) => Promise.resolve(a.i);
		const limits = { maxAttempts: Infinity, maxToolCalls: Infinity };
		const warden = new Warden({
			storage,
			contracts: contracts(),
			limits,
			tools: { read_file: { sideEffect: 'read' } },
			sessionId: 'bench',
		});
		for (let i = 0; i < 2000; i++) await warden.run('read_file', { i }, tool);

		// Round trips: commands the client sends (MONITOR marks commands run inside a script with source "lua").
		const monitor = await admin.monitor();
		let sent = 0;
		monitor.on('monitor', (_time: string, _args: string[], source: string) => {
			if (source !== 'lua') sent++;
		});
		await new Promise((resolve) => setTimeout(resolve, 50));
		for (let i = 0; i < 200; i++) await warden.run('read_file', { i }, tool);
		await new Promise((resolve) => setTimeout(resolve, 200));
		monitor.disconnect();
		console.log(`Redis round trips per allowed call: ${(sent / 200).toFixed(2)} (target <= 2)`);

		const calls = 10_000;
		let start = performance.now();
		for (let i = 0; i < calls; i++) await warden.run('read_file', { i }, tool);
		const sequential = calls / ((performance.now() - start) / 1000);
		console.log(`sequential (one call at a time): ${Math.round(sequential).toLocaleString('en-US')} calls/s`);

		const inFlight = 32;
		let next = 0;
		start = performance.now();
		await Promise.all(
			Array.from({ length: inFlight }, async () => {
				while (next < 40_000) await warden.run('read_file', { i: next++ }, tool);
			}),
		);
		const concurrent = 40_000 / ((performance.now() - start) / 1000);
		console.log(
			`${inFlight} calls in flight in one process: ${Math.round(concurrent).toLocaleString('en-US')} calls/s (target >= 5,000) ${concurrent >= 5000 ? 'OK' : 'UNDER TARGET'}`,
		);
		await storage.close();
	} finally {
		await admin.quit();
		await server.stop();
	}
}
