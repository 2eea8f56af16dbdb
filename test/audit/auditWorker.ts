/**
 * A child process for the audit fault tests. Usage: node --import tsx auditWorker.ts <scenario> <path> [...]
 * - `stream <path> <maxBytes>`: governs calls forever through a keyed, chained sink; prints `ready` once lines are
 *   on disk (the parent then kills it with SIGKILL).
 * - `hold <path>`: opens a sink on the path, prints `held`, and waits to be killed.
 * - `fill <dir>`: on a tiny tmpfs mounted at <dir> (by the parent, in a private mount namespace): writes until the
 *   disk is full, frees space, writes again; prints a JSON report of what the sink said and what is on disk.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlFileSink, verifyAuditLog, Warden, type ToolCallDenied } from '../../src/index.js';

export const KEY = 'test-audit-key';
const [scenario, path, arg] = process.argv.slice(2) as [string, string, string | undefined];
const unlimited = { maxToolCalls: Infinity, maxAttempts: Infinity };

async function stream(): Promise<void> {
	const sink = new JsonlFileSink(path, {
		hashChain: { key: KEY },
		maxBytes: Number(arg ?? Infinity),
		maxFiles: 1000,
		fsync: 'never',
	});
	const warden = new Warden({ audit: sink, limits: unlimited });
	let announced = false;
	for (let i = 0; ; i++) {
		await warden.run('t', { i, note: 'x'.repeat(i % 200) }, () => i);
		if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
		if (!announced && sink.stats.written > 20) {
			announced = true;
			process.stdout.write('ready\n');
		}
	}
}

async function hold(): Promise<void> {
	new JsonlFileSink(path);
	process.stdout.write('held\n');
	await new Promise(() => setInterval(() => undefined, 1000));
}

async function fill(): Promise<void> {
	const file = join(path, 'audit.jsonl');
	// Room to free later, so the test sees writing resume after a full disk.
	await writeFile(join(path, 'ballast'), Buffer.alloc(16 * 1024, 1));
	const errors: Array<{ message: string; atFlush: boolean }> = [];
	let flushing = false;
	const sink = new JsonlFileSink(file, { hashChain: { key: KEY } });
	const open = new Warden({
		audit: sink,
		limits: unlimited,
		onAuditError: (error) => errors.push({ message: error.message, atFlush: flushing }),
	});
	const closed = new Warden({ audit: sink, limits: unlimited, auditFailMode: 'closed', onAuditError: () => undefined });
	let emitted = 0;
	for (let i = 0; i < 400; i++) {
		await open.run('t', { i, pad: 'y'.repeat(300) }, () => i);
		emitted += 2;
		if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
	}
	await new Promise((resolve) => setTimeout(resolve, 50));
	const reportedBeforeFlush = errors.length > 0;
	flushing = true;
	const flushError = await open.flush().then(
		() => undefined,
		(error: unknown) => (error as Error).message,
	);
	let ran = false;
	const denied = await closed
		.run('t', {}, () => (ran = true))
		.then(
			() => undefined,
			(error: unknown) => (error as ToolCallDenied).source,
		);
	const statsWhenFull = sink.stats;
	await rm(join(path, 'ballast'));
	await open.run('after', {}, () => 1);
	const ranAfter = await closed.run('after', {}, () => true);
	await open.close().catch(() => undefined);
	const text = await readFile(file, 'utf8');
	const lines = text.split('\n').filter((line) => line !== '');
	const events = lines.filter((line) => !line.includes('"record":'));
	const verified = await verifyAuditLog(file, { key: KEY });
	const report = {
		emitted,
		statsWhenFull,
		stats: sink.stats,
		auditStats: open.auditStats,
		events: events.length,
		endsWithNewline: text.endsWith('\n'),
		reportedBeforeFlush,
		errors: errors.slice(0, 3),
		flushError,
		denied,
		ran,
		ranAfter,
		verified: { ok: verified.ok, count: verified.count, lost: verified.lost, reason: verified.reason },
	};
	process.stdout.write(`${JSON.stringify(report)}\n`);
}

const scenarios: Record<string, () => Promise<void>> = { stream, hold, fill };
await (scenarios[scenario] as () => Promise<void>)();
