import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEvent } from '../src/index.js';
import { lib } from './lib.js';
import { measure, row } from './measure.js';

/**
 * Audit-trail benchmarks (issues #3 and #11): redaction per event, JSONL throughput (unchained, chained, keyed),
 * the per-call cost of auditFailMode 'closed', and loss across 1M events.
 */
export async function benchAudit(): Promise<void> {
	const { MemorySink, RedactionPolicy, Warden, JsonlFileSink, verifyAuditLog } = lib;
	console.log('\n== audit trail (issues #3, #11) ==');

	// A typical event: what a shell/HTTP tool call produces, with one secret in it.
	const sink = new MemorySink({ maxEvents: 1 });
	const warden = new Warden({ audit: sink });
	await warden.run(
		'http_request',
		{
			method: 'POST',
			url: 'https://api.example.com/v1/orders',
			headers: { 'content-type': 'application/json', authorization: 'Bearer abc.def.ghi123' },
			body: { orderId: 'A-1001', amount: 45, note: 'customer asked twice' },
		},
		() => ({ status: 201 }),
	);
	const event = sink.events[0] as AuditEvent;
	const policy = new RedactionPolicy();
	const parts = [event.toolArgs, event.principal, event.metadata];
	const rounds = 200_000;
	for (let i = 0; i < 20_000; i++) policy.redact(parts);
	let start = performance.now();
	for (let i = 0; i < rounds; i++) policy.redact(parts);
	console.log(
		`redaction of a typical event's args/principal/metadata: ${(((performance.now() - start) * 1e6) / rounds).toFixed(0)} ns/event`,
	);
	// Unique strings miss the memo: the cost of scanning text never seen before.
	const fresh = Array.from(
		{ length: 100_000 },
		(_, i) => `curl -H "X-Request: ${i}" https://api.example.com/items/${i}?page=${i % 7}`,
	);
	start = performance.now();
	for (const text of fresh) policy.redactText(text);
	console.log(
		`redactText of a never-seen 70-char command: ${(((performance.now() - start) * 1e6) / fresh.length).toFixed(0)} ns`,
	);

	// Throughput to disk: emit directly, yielding like an agent loop between calls so batched writes interleave.
	const chains = [
		['off', false],
		['on', true],
		['keyed', { key: 'bench-key' }],
	] as const;
	for (const [label, hashChain] of chains) {
		const dir = await mkdtemp(join(tmpdir(), 'tw-bench-'));
		const path = join(dir, 'audit.jsonl');
		const file = new JsonlFileSink(path, { hashChain });
		const count = 300_000;
		start = performance.now();
		const cpu = process.cpuUsage();
		for (let i = 0; i < count; i++) {
			file.emit({ ...event, callIndex: i });
			if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
		}
		await file.close();
		const seconds = (performance.now() - start) / 1000;
		// CPU time (main thread and libuv's pool) per event: what a free core sustains, whatever the machine's load.
		const used = process.cpuUsage(cpu);
		const cpuRate = count / ((used.user + used.system) / 1e6);
		const target = hashChain === false ? 100_000 : 50_000;
		const rate = count / seconds;
		const figure = (n: number) => Math.round(n).toLocaleString('en-US');
		console.log(
			`JsonlFileSink, hash chain ${label.padEnd(5)}: ${figure(rate)} events/s sustained, to disk; ${figure(cpuRate)} events per CPU-second (target >= ${figure(target)}) ${Math.max(rate, cpuRate) >= target ? 'OK' : 'UNDER TARGET'}`,
		);
		if (hashChain !== false) {
			start = performance.now();
			const verified = await verifyAuditLog(path, hashChain === true ? {} : { key: hashChain.key });
			console.log(
				`  verifyAuditLog: ok=${verified.ok}, ${verified.count.toLocaleString('en-US')} lines, ${Math.round(verified.count / ((performance.now() - start) / 1000)).toLocaleString('en-US')} lines/s`,
			);
		}
		await rm(dir, { recursive: true });
	}

	// Per governed call: a JsonlFileSink in the default fail mode, and with auditFailMode 'closed' (each allowed call
	// waits until its call_allowed line is written).
	const tool = () => Promise.resolve(1);
	const args = { path: 'src/index.ts' };
	const unlimited = { maxAttempts: Infinity, maxToolCalls: Infinity };
	const small = { batches: 10, perBatch: 2000, warmup: 2000 };
	const bare = await measure('bare async call', tool, small);
	for (const auditFailMode of ['open', 'closed'] as const) {
		const dir = await mkdtemp(join(tmpdir(), 'tw-bench-'));
		const warden = new Warden({
			limits: unlimited,
			audit: new JsonlFileSink(join(dir, 'audit.jsonl'), { hashChain: true }),
			auditFailMode,
		});
		console.log(
			row(
				await measure(
					`warden.run + chained JsonlFileSink, auditFailMode '${auditFailMode}'`,
					() => warden.run('read_file', args, tool),
					small,
				),
				bare.medianNs,
			),
		);
		await warden.close();
		await rm(dir, { recursive: true });
	}

	// Zero loss: 1M events through a Warden-like burst, then close(); every line must be in the files.
	const dir = await mkdtemp(join(tmpdir(), 'tw-bench-'));
	const path = join(dir, 'audit.jsonl');
	const file = new JsonlFileSink(path, { maxBytes: 64 * 1024 * 1024, maxFiles: 100 });
	const million = 1_000_000;
	for (let i = 0; i < million; i++) {
		file.emit({ ...event, callIndex: i });
		if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
	}
	await file.close();
	let lines = 0;
	// Event lines only: each rotated file starts with the sink's own `rotate` record.
	for (const name of await readdir(dir))
		lines += (await readFile(join(dir, name), 'utf8'))
			.split('\n')
			.filter((line) => line !== '' && !line.includes('"record":"rotate"')).length;
	console.log(
		`1,000,000 events then close(): ${lines.toLocaleString('en-US')} lines on disk, ${million - lines} lost ${lines === million ? 'OK' : 'LOST EVENTS'}`,
	);
	await rm(dir, { recursive: true });
}
