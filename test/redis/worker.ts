/**
 * A worker process for the cross-process tests: governs calls through a Warden on a shared RedisStorage and prints a
 * JSON summary. Usage: node --import tsx worker.ts <scenario> <redisUrl> <keyPrefix> <sessionId>
 */
import { sideEffectLedger, ToolCallDenied, Warden } from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';

const [scenario, url, keyPrefix, sessionId] = process.argv.slice(2) as [string, string, string, string];
const storage = new RedisStorage({ url, keyPrefix, timeoutMs: 5000 });

async function limits(): Promise<object> {
	const warden = new Warden({
		storage,
		sessionId,
		limits: { maxToolCalls: 100, maxAttempts: Infinity, maxCallsPerTool: { refund: 7 } },
	});
	let executed = 0;
	let refunds = 0;
	const sources: Record<string, number> = {};
	await Promise.all(
		Array.from({ length: 250 }, (_, i) =>
			warden
				.run(i % 10 === 0 ? 'refund' : 'lookup', { i }, async () => {
					if (i % 10 === 0) refunds++;
					executed++;
					await new Promise((resolve) => setImmediate(resolve));
				})
				.catch((error: unknown) => {
					const source = error instanceof ToolCallDenied ? error.source : 'error';
					sources[source] = (sources[source] ?? 0) + 1;
				}),
		),
	);
	return { executed, refunds, sources };
}

async function ledger(): Promise<object> {
	const warden = new Warden({
		storage,
		sessionId,
		contracts: [sideEffectLedger({ scope: () => 'ticket:T-42' })],
		tools: { refund: { sideEffect: 'irreversible' } },
	});
	let ran = false;
	const result = await warden.run('refund', { orderId: 'A-1', amountUsd: 40 }, () => {
		ran = true;
		return { refundId: `re_${process.pid}` };
	});
	return { ran, result };
}

const run = scenario === 'limits' ? limits : ledger;
const summary = await run();
await storage.close();
process.stdout.write(`${JSON.stringify(summary)}\n`);
