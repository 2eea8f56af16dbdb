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
		const first = JSON.parse((await lines(path))[0] as string) as AuditEvent & {
			seq: number;
			prevHash: string;
			hash: string;
		};
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
		const result = await tamper((l) =>
			l.map((line, i) => (i === 4 ? line.replace('"toolName":"t"', '"toolName":"x"') : line)),
		);
		expect(result).toMatchObject({ ok: false, firstBadSeq: 5, count: 4, kind: 'modified' });
		expect(result.reason).toMatch(/audit\.jsonl:5: the line was modified/);
	});

	it('detects a deleted line', async () => {
		expect(await tamper((l) => l.filter((_, i) => i !== 6))).toMatchObject({
			ok: false,
			firstBadSeq: 8,
			kind: 'deleted',
			reason: expect.stringMatching(/seq jumps from 6 to 8: 1 line\(s\) were deleted/) as string,
		});
	});

	it('detects an inserted line', async () => {
		expect(await tamper((l) => [...l.slice(0, 3), l[2] as string, ...l.slice(3)])).toMatchObject({
			ok: false,
			firstBadSeq: 3,
			kind: 'inserted',
		});
	});

	it('detects reordered lines', async () => {
		expect(await tamper((l) => [l[0], l[2], l[1], ...l.slice(3)] as string[])).toMatchObject({
			ok: false,
			firstBadSeq: 3,
			kind: 'reordered',
		});
	});

	it('detects a line whose prevHash was changed', async () => {
		const result = await tamper((l) =>
			l.map((line, i) => (i === 0 ? line.replace(/"prevHash":"0+"/, `"prevHash":"${'1'.repeat(64)}"`) : line)),
		);
		expect(result).toMatchObject({ ok: false, kind: 'modified', firstBadSeq: 1 });
	});

	it('a truncated tail is only detected against an external anchor', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { hashChain: true });
		await writeEvents(sink, 10);
		const anchor = sink.lastLink as { seq: number; hash: string };
		expect(anchor.seq).toBe(20);
		await writeFile(path, `${(await lines(path)).slice(0, 15).join('\n')}\n`);
		expect((await verifyAuditLog(path)).ok).toBe(true);
		expect(await verifyAuditLog(path, { endsAt: anchor })).toEqual({
			ok: false,
			count: 15,
			firstBadSeq: 16,
			kind: 'truncated',
			reason: 'the log ends at seq 15, before the anchored seq 20: 5 line(s) were cut from the end',
			firstSeq: 1,
			firstHash: expect.any(String) as string,
			lastSeq: 15,
			lastHash: expect.any(String) as string,
			lost: 0,
			repairs: 0,
			base: path,
			files: [path],
		});
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
		const files = (await readdir(folder))
			.filter((f) => f.startsWith('audit.jsonl.'))
			.sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()));
		expect(files.length).toBeGreaterThan(3);
		expect(sink.stats.rotations).toBe(files.length);
		const ordered = [...files.map((f) => join(folder, f)), path];
		// Each file after the first starts with a `rotate` record line that carries the chain into it.
		expect(await verifyAuditLog(ordered)).toMatchObject({ ok: true, count: 200 + files.length });
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 200 + files.length });
		// A file missing from the middle breaks the chain.
		expect(await verifyAuditLog(ordered.filter((_, i) => i !== 1))).toMatchObject({ ok: false, kind: 'deleted' });
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
		expect(sink.stats).toMatchObject({ written: 10_000, pending: 0, failed: 0 });
	});

	it('counts events it cannot write as failed, reports them at once, and flush() rejects saying how many and why', async () => {
		const folder = await dir();
		const blocker = join(folder, 'logs');
		const sink = new JsonlFileSink(join(blocker, 'audit.jsonl'), { onError: (e) => errors.push(e.message) });
		const errors: string[] = [];
		// A file where the directory should be: every open fails.
		await rm(blocker, { recursive: true });
		await writeFile(blocker, 'a file where the directory should be');
		const warden = new Warden({ audit: sink, onAuditError: () => undefined });
		await warden.run('t', {}, () => 1);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(errors.join()).toMatch(/2 event\(s\) were not written: EEXIST: file already exists, mkdir/);
		await expect(warden.flush()).rejects.toThrow(/2 event\(s\) were not written: EEXIST/);
		expect(sink.stats).toMatchObject({ written: 0, failed: 2, pending: 0 });
		expect(warden.auditStats).toEqual({ written: 0, failed: 2, pending: 0 });
		// The loss was reported once; a later flush with nothing lost resolves.
		await expect(warden.flush()).resolves.toBeUndefined();
		await warden.close();
	});

	it('never drops a healthy burst, however large', async () => {
		const path = join(await dir(), 'burst.jsonl');
		const sink = new JsonlFileSink(path, { maxBufferedEvents: 10 });
		const warden = new Warden({ audit: sink, limits: unlimited });
		await Promise.all(Array.from({ length: 500 }, (_, i) => warden.run('t', { i }, () => i)));
		await warden.close();
		expect(sink.stats).toMatchObject({ written: 1000, failed: 0 });
		expect(await lines(path)).toHaveLength(1000);
	});

	it('validates its options', () => {
		expect(() => new JsonlFileSink('a.jsonl', { fsync: 'sometimes' as never })).toThrow(
			/fsync must be one of 'never', 'close', 'batch'/,
		);
		expect(() => new JsonlFileSink('a.jsonl', { maxBytes: 10 })).toThrow(/at least 1024/);
		expect(() => new JsonlFileSink('a.jsonl', { rotate: true } as never)).toThrow(ConfigError);
		expect(() => new JsonlFileSink('')).toThrow(/needs a file path/);
		expect(() => new JsonlFileSink('a.jsonl', { maxBufferedEvents: Infinity })).toThrow(/bounded/);
		expect(() => new JsonlFileSink('a.jsonl', { maxFiles: Infinity })).toThrow(/finite/);
		expect(() => new JsonlFileSink('a.jsonl', { hashChain: { key: '' } })).toThrow(/non-empty string or Buffer/);
		expect(() => new JsonlFileSink('a.jsonl', { hashChain: { key: 'k', alg: 'md5' } as never })).toThrow(ConfigError);
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
		expect((await lines(path)).map((l) => (JSON.parse(l) as AuditEvent).action)).toEqual([
			'call_allowed',
			'call_executed',
		]);
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
		expect(warden.auditStats).toEqual({ written: 2, failed: 2, pending: 0 });
		await expect(warden.flush()).rejects.toThrow(
			/2 event\(s\) were not accepted by their sink \(sink: SIEM down, token=\[REDACTED\]/,
		);
	});

	it('needs a sink', () => {
		expect(() => new Warden({ auditFailMode: 'closed' })).toThrow(/needs at least one audit sink/);
	});

	it('a read-only file fails closed too', async () => {
		if (process.getuid?.() === 0) return; // root ignores file permissions
		const path = join(await dir(), 'ro.jsonl');
		await writeFile(path, '');
		await chmod(path, 0o444);
		const warden = new Warden({
			audit: new JsonlFileSink(path),
			auditFailMode: 'closed',
			onAuditError: () => undefined,
		});
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({ source: 'audit_unavailable' });
	});
});
