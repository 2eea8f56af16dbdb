import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStorage } from '../../src/redis/index.js';
import { redisAvailable, RedisServer } from './redisServer.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));
let server: RedisServer;

async function spawnWorker(scenario: string, prefix: string, sessionId: string): Promise<Record<string, unknown>> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', worker, scenario, server.url, prefix, sessionId], {
		timeout: 60_000,
	});
	return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

describe.skipIf(!redisAvailable)('RedisStorage across processes', () => {
	beforeAll(async () => {
		server = await RedisServer.start();
	});
	afterAll(async () => {
		await server.stop();
	});

	it('4 processes x 250 concurrent calls with maxToolCalls 100 execute exactly 100, and count every attempt', async () => {
		const prefix = `xp-${Date.now()}:`;
		const results = await Promise.all([1, 2, 3, 4].map(() => spawnWorker('limits', prefix, 'shared-session')));
		const executed = results.reduce((n, r) => n + (r['executed'] as number), 0);
		const refunds = results.reduce((n, r) => n + (r['refunds'] as number), 0);
		expect(executed).toBe(100);
		// maxCallsPerTool holds across processes too.
		expect(refunds).toBeLessThanOrEqual(7);
		const denied = results.reduce(
			(n, r) => n + Object.values(r['sources'] as Record<string, number>).reduce((a, b) => a + b, 0),
			0,
		);
		expect(denied).toBe(1000 - executed);
		const store = new RedisStorage({ url: server.url, keyPrefix: prefix });
		const totals = await store.totals('shared-session');
		await store.close();
		expect(totals).toMatchObject({ attempts: 1000, executions: 100 });
		expect(totals.toolExecutions['refund']).toBe(refunds);
		expect(refunds).toBe(7);
	});

	it('a refund completed in process A is replayed, not re-executed, in process B', async () => {
		const prefix = `ledger-${Date.now()}:`;
		const a = await spawnWorker('ledger', prefix, 'session-a');
		const b = await spawnWorker('ledger', prefix, 'session-b');
		expect(a['ran']).toBe(true);
		expect(b['ran']).toBe(false);
		expect(b['result']).toEqual(a['result']);
	});
});
