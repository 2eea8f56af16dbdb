/**
 * A worker process for the cross-process approval tests: shares a RedisStorage with the test and prints a JSON
 * summary. Usage: node --import tsx redisWorker.ts <scenario> <redisUrl> <keyPrefix> <arg> <startAtMs>
 * - `retry`: waits until startAtMs, then makes 5 identical concurrent calls of a held tool; prints how many ran.
 * - `approve`: waits until startAtMs, then approves request <arg> as itself; prints whether it won.
 */
import { ApprovalConflictError, ApprovalRequired, requireApproval, Warden } from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';

const [scenario, url, keyPrefix, arg, startAt] = process.argv.slice(2) as [string, string, string, string, string];
const storage = new RedisStorage({ url, keyPrefix, timeoutMs: 5000 });
const warden = new Warden({ storage, sessionId: 'shared', contracts: [requireApproval('refund')] });

async function retry(): Promise<object> {
	let ran = 0;
	let held = 0;
	await Promise.all(
		Array.from({ length: 5 }, () =>
			warden
				.run('refund', { amount: 900 }, () => ++ran, { principal: { userId: 'agent' } })
				.catch((error: unknown) => {
					if (!(error instanceof ApprovalRequired)) throw error;
					held++;
				}),
		),
	);
	return { ran, held };
}

async function approve(): Promise<object> {
	try {
		await warden.approvals.approve(arg, { approver: `approver-${process.pid}` });
		return { won: true };
	} catch (error) {
		if (error instanceof ApprovalConflictError) return { won: false };
		throw error;
	}
}

await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const result = scenario === 'retry' ? await retry() : await approve();
await storage.close();
console.log(JSON.stringify(result));
