import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, JsonlFileSink, MemorySink, verifyAuditLog, Warden, type AuditEvent } from '../../src/index.js';

const dir = () => mkdtemp(join(tmpdir(), 'tw-jsonl-'));
const unlimited = { maxToolCalls: Infinity, maxAttempts: Infinity };
const lines = async (path: string) => (await readFile(path, 'utf8')).trimEnd().split('\n');

async function writeEvents(sink: JsonlFileSink, calls: number): Promise<void> {
	const warden = new Warden({ audit: sink, limits: unlimited });
	await Promise.all(Array.from({ length: calls }, (_, i) => warden.run('t', { i }, () => i)));
	await warden.close();
}

describe('JsonlFileSink: hash chain', () => {
	it('chains every line and verifies', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { hashChain: true });
		await writeEvents(sink, 50);
		const result = await verifyAuditLog(path);
		expect(result).toMatchObject({ ok: true, count: 100, firstSeq: 1, lastSeq: 100 });
		expect(result.lastHash).toBe(sink.lastLink?.hash);
		const first = JSON.parse((await lines(path))[0] as string) as AuditEvent & { seq: number; prevHash: string; hash: string };
		expect(first.seq).toBe(1);
		expect(first.prevHash).toBe('0'.repeat(64));
		expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
	});

	const tamper = async (change: (lines: string[]) => string[]) => {
		const path = join(await dir(), 'audit.jsonl');
		await writeEvents(new JsonlFileSink(path, { hashChain: true }), 10);
		await writeFile(path, `${change(await lines(path)).join('\n')}\n`);
		return verifyAuditLog(path);
	};

	it('detects an edited line', async () => {
		const result = await tamper((l) => l.map((line, i) => (i === 4 ? line.replace('"toolName":"t"', '"toolName":"x"') : line)));
		expect(result).toMatchObject({ ok: false, firstBadSeq: 5, count: 4 });
		expect(result.reason).toMatch(/modified/);
	});

	it('detects a deleted line', async () => {
		expect(await tamper((l) => l.filter((_, i) => i !== 6))).toMatchObject({ ok: false, firstBadSeq: 8 });
	});

	it('detects an inserted line', async () => {
		expect(await tamper((l) => [...l.slice(0, 3), l[2] as string, ...l.slice(3)])).toMatchObject({ ok: false, firstBadSeq: 3 });
	});

	it('detects reordered lines', async () => {
		expect(await tamper((l) => [l[0], l[2], l[1], ...l.slice(3)] as string[])).toMatchObject({ ok: false, firstBadSeq: 3 });
	});

	it('detects a line whose hash was recomputed without the chain', async () => {
		const result = await tamper((l) => l.map((line, i) => (i === 0 ? line.replace(/"prevHash":"0+"/, `"prevHash":"${'1'.repeat(64)}"`) : line)));
		expect(result.ok).toBe(false);
	});

	it('a truncated tail is only detected against an external anchor', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { hashChain: true });
		await writeEvents(sink, 10);
		const anchor = sink.lastLink as { seq: number; hash: string };
		await writeFile(path, `${(await lines(path)).slice(0, 15).join('\n')}\n`);
		expect((await verifyAuditLog(path)).ok).toBe(true);
		expect(await verifyAuditLog(path, { endsAt: anchor })).toMatchObject({ ok: false, reason: expect.stringMatching(/cut from the end/) as string });
	});

	it('continues the chain when a new process appends to the same file', async () => {
		const path = join(await dir(), 'audit.jsonl');
		await writeEvents(new JsonlFileSink(path, { hashChain: true }), 5);
		await writeEvents(new JsonlFileSink(path, { hashChain: true }), 5);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 20, lastSeq: 20 });
	});

	it('rotation carries the last hash into the next file', async () => {
		const folder = await dir();
		const path = join(folder, 'audit.jsonl');
		const sink = new JsonlFileSink(path, { hashChain: true, maxBytes: 8 * 1024, maxFiles: 20 });
		await writeEvents(sink, 100);
		const files = (await readdir(folder)).filter((f) => f.startsWith('audit.jsonl.')).sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()));
		expect(files.length).toBeGreaterThan(3);
		expect(sink.stats.rotations).toBe(files.length);
		const ordered = [...files.map((f) => join(folder, f)), path];
		expect(await verifyAuditLog(ordered)).toMatchObject({ ok: true, count: 200 });
		// A file missing from the middle breaks the chain.
		expect((await verifyAuditLog(ordered.filter((_, i) => i !== 1))).ok).toBe(false);
	});
});

describe('JsonlFileSink: rotation and durability', () => {
	it('rotates by size and keeps maxFiles files, each under maxBytes', async () => {
		const folder = await dir();
		const path = join(folder, 'audit.jsonl');
		await writeEvents(new JsonlFileSink(path, { maxBytes: 4096, maxFiles: 3 }), 200);
		const files = (await readdir(folder)).sort();
		expect(files).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2', 'audit.jsonl.3']);
		for (const file of files) expect((await readFile(join(folder, file))).length).toBeLessThanOrEqual(4096);
	});

	it('loses no event across a burst followed by close', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { fsync: 'batch' });
		await writeEvents(sink, 5000);
		expect(await lines(path)).toHaveLength(10_000);
		expect(sink.stats).toMatchObject({ written: 10_000, pending: 0, failedWrites: 0, dropped: 0 });
	});

	it('keeps lines through failing writes, retries, and writes them once the target is writable', async () => {
		const folder = await dir();
		const blocker = join(folder, 'logs');
		await writeFile(blocker, 'a file where the directory should be');
		const errors: string[] = [];
		const sink = new JsonlFileSink(join(blocker, 'audit.jsonl'), { onError: (e) => errors.push(e.message) });
		const reported: string[] = [];
		const warden = new Warden({ audit: sink, onAuditError: (e) => reported.push(e.message) });
		await warden.run('t', {}, () => 1);
		await expect(sink.flush()).rejects.toThrow(/cannot write 2 line\(s\) \(kept and retried\)/);
		expect(errors.length).toBeGreaterThan(0);
		expect(sink.stats.pending).toBe(2);
		await rm(blocker);
		await warden.close();
		expect(await lines(join(blocker, 'audit.jsonl'))).toHaveLength(2);
		expect(sink.stats).toMatchObject({ written: 2, pending: 0 });
	});

	it('while writes fail, drops past maxBufferedLines, counts and reports it', async () => {
		const folder = await dir();
		const blocker = join(folder, 'x');
		await writeFile(blocker, '');
		const errors: string[] = [];
		const sink = new JsonlFileSink(join(blocker, 'a.jsonl'), { maxBufferedLines: 3, onError: (e) => errors.push(e.message) });
		const warden = new Warden({ audit: sink, onAuditError: () => undefined });
		await warden.run('t', {}, () => 1);
		await expect(sink.flush()).rejects.toThrow(/cannot write 2 line/);
		for (let i = 0; i < 2; i++) await warden.run('t', {}, () => 1);
		expect(sink.stats).toMatchObject({ pending: 3, dropped: 3 });
		expect(errors.filter((e) => e.includes('dropped a line'))).toHaveLength(3);
		await expect(sink.flush()).rejects.toThrow(/cannot write 3 line/);
	});

	it('never drops a healthy burst, however large', async () => {
		const path = join(await dir(), 'burst.jsonl');
		const sink = new JsonlFileSink(path, { maxBufferedLines: 10 });
		const warden = new Warden({ audit: sink, limits: unlimited });
		for (let i = 0; i < 500; i++) await warden.run('t', { i }, () => i);
		await warden.close();
		expect(sink.stats.dropped).toBe(0);
		expect(await lines(path)).toHaveLength(1000);
	});

	it('validates its options', () => {
		expect(() => new JsonlFileSink('a.jsonl', { fsync: 'sometimes' as never })).toThrow(/fsync must be one of 'never', 'close', 'batch'/);
		expect(() => new JsonlFileSink('a.jsonl', { maxBytes: 10 })).toThrow(/at least 1024/);
		expect(() => new JsonlFileSink('a.jsonl', { rotate: true } as never)).toThrow(ConfigError);
		expect(() => new JsonlFileSink('')).toThrow(/needs a file path/);
	});
});

describe("auditFailMode: 'closed'", () => {
	it('runs a call only once its pre-execution event is recorded', async () => {
		const folder = await dir();
		const path = join(folder, 'audit.jsonl');
		const warden = new Warden({ audit: new JsonlFileSink(path, { fsync: 'batch' }), auditFailMode: 'closed' });
		let ran = false;
		await warden.run('t', {}, () => {
			ran = true;
		});
		expect(ran).toBe(true);
		// The allowed event was on disk before the tool ran.
		await warden.close();
		expect((await lines(path)).map((l) => (JSON.parse(l) as AuditEvent).action)).toEqual(['call_allowed', 'call_executed']);
	});

	it('denies with audit_unavailable when a sink cannot record it', async () => {
		const memory = new MemorySink();
		const failing = { emit: () => Promise.reject(new Error('SIEM down, token=abc123secret')) };
		const warden = new Warden({ audit: [memory, failing], auditFailMode: 'closed', onAuditError: () => undefined });
		let ran = false;
		const error = await warden.run('t', {}, () => (ran = true)).catch((e: unknown) => e);
		expect(ran).toBe(false);
		expect(error).toMatchObject({ source: 'audit_unavailable', rule: 'auditFailMode' });
		expect((error as Error).message).not.toContain('abc123secret');
		expect(memory.events.map((e) => e.action)).toEqual(['call_allowed', 'call_denied']);
	});

	it('needs a sink', () => {
		expect(() => new Warden({ auditFailMode: 'closed' })).toThrow(/needs at least one audit sink/);
	});

	it('a read-only file fails closed too', async () => {
		if (process.getuid?.() === 0) return; // root ignores file permissions
		const path = join(await dir(), 'ro.jsonl');
		await writeFile(path, '');
		await chmod(path, 0o444);
		const warden = new Warden({ audit: new JsonlFileSink(path), auditFailMode: 'closed', onAuditError: () => undefined });
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'audit_unavailable' });
	});
});
