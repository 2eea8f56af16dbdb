import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEvent } from '../src/index.js';
import { lib } from './lib.js';

/** Audit-trail benchmarks of issue #3: redaction per event, JSONL throughput, and loss across 1M events. */
export async function benchAudit(): Promise<void> {
	const { MemorySink, RedactionPolicy, Warden, JsonlFileSink, verifyAuditLog } = lib;
	console.log('\n== audit trail (issue #3) ==');

	// A typical event: what a shell/HTTP tool call produces, with one secret in it.
	const sink = new MemorySink({ maxEvents: 1 });
	const warden = new Warden({ audit: sink });
	await warden.run('http_request', { method: 'POST', url: 'https://api.example.com/v1/orders', headers: { 'content-type': 'application/json', authorization: 'Bearer abc.def.ghi123' }, body: { orderId: 'A-1001', amount: 45, note: 'customer asked twice' } }, () => ({ status: 201 }));
	const event = sink.events[0] as AuditEvent;
	const policy = new RedactionPolicy();
	const parts = [event.toolArgs, event.principal, event.metadata];
	const rounds = 200_000;
	for (let i = 0; i < 20_000; i++) policy.redact(parts);
	let start = performance.now();
	for (let i = 0; i < rounds; i++) policy.redact(parts);
	console.log(`redaction of a typical event's args/principal/metadata: ${(((performance.now() - start) * 1e6) / rounds).toFixed(0)} ns/event`);
	// Unique strings miss the memo: the cost of scanning text never seen before.
	const fresh = Array.from({ length: 100_000 }, (_, i) => `curl -H "X-Request: ${i}" https://api.example.com/items/${i}?page=${i % 7}`);
	start = performance.now();
	for (const text of fresh) policy.redactText(text);
	console.log(`redactText of a never-seen 70-char command: ${(((performance.now() - start) * 1e6) / fresh.length).toFixed(0)} ns`);

	for (const hashChain of [false, true]) {
		const dir = await mkdtemp(join(tmpdir(), 'tw-bench-'));
		const path = join(dir, 'audit.jsonl');
		const file = new JsonlFileSink(path, { hashChain });
		const count = 300_000;
		start = performance.now();
		for (let i = 0; i < count; i++) {
			await file.emit({ ...event, callIndex: i });
			// Yield like a real agent loop does between calls, so the batched writes interleave.
			if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
		}
		await file.close();
		const seconds = (performance.now() - start) / 1000;
		const target = hashChain ? 50_000 : 100_000;
		const rate = count / seconds;
		console.log(`JsonlFileSink, hash chain ${hashChain ? 'on ' : 'off'}: ${Math.round(rate).toLocaleString('en-US')} events/s sustained, to disk (target >= ${target.toLocaleString('en-US')}) ${rate >= target ? 'OK' : 'UNDER TARGET'}`);
		if (hashChain) {
			const verified = await verifyAuditLog(path);
			console.log(`  verifyAuditLog: ok=${verified.ok}, ${verified.count.toLocaleString('en-US')} lines`);
		}
		await rm(dir, { recursive: true });
	}

	// Zero loss: 1M events through a Warden-like burst, then close(); every line must be in the files.
	const dir = await mkdtemp(join(tmpdir(), 'tw-bench-'));
	const path = join(dir, 'audit.jsonl');
	const file = new JsonlFileSink(path, { maxBytes: 64 * 1024 * 1024, maxFiles: 100 });
	const million = 1_000_000;
	for (let i = 0; i < million; i++) {
		void file.emit({ ...event, callIndex: i });
		if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
	}
	await file.close();
	let lines = 0;
	for (const name of await readdir(dir)) lines += (await readFile(join(dir, name), 'utf8')).split('\n').length - 1;
	console.log(`1,000,000 events then close(): ${lines.toLocaleString('en-US')} lines on disk, ${million - lines} lost ${lines === million ? 'OK' : 'LOST EVENTS'}`);
	await rm(dir, { recursive: true });
}
