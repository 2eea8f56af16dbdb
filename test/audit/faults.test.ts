import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChainHasher, recordBody } from '../../src/audit/chainLine.js';
import { ConfigError, JsonlFileSink, verifyAuditLog, Warden } from '../../src/index.js';
import { kill, runCommand, startWorker, until, worker } from './processes.js';

const KEY = 'test-audit-key'; // the key auditWorker.ts chains with
const unlimited = { maxToolCalls: Infinity, maxAttempts: Infinity };
const dir = () => mkdtemp(join(tmpdir(), 'tw-faults-'));
const isRoot = process.getuid?.() === 0;
const hasUnshare = existsSync('/usr/bin/unshare') || existsSync('/bin/unshare');

async function governed(
	sink: JsonlFileSink,
	calls: number,
	options: { onAuditError?: (e: Error) => void } = {},
): Promise<Warden> {
	const warden = new Warden({
		audit: sink,
		limits: unlimited,
		onAuditError: options.onAuditError ?? (() => undefined),
	});
	for (let i = 0; i < calls; i++) await warden.run('t', { i }, () => i);
	return warden;
}

describe('SIGKILL at any moment', () => {
	it(
		'a process killed mid-stream (with rotation) leaves a log that the next sink repairs and verify passes',
		{ timeout: 60_000 },
		async () => {
			const folder = await dir();
			const path = join(folder, 'audit.jsonl');
			// Tiny files, so that kills also land in the middle of rotations.
			for (let round = 0; round < 4; round++) {
				const child = await startWorker(['stream', path, String(2048)], 'ready');
				await new Promise((resolve) => setTimeout(resolve, 5 + round * 7));
				await kill(child);
			}
			const sink = new JsonlFileSink(path, { hashChain: { key: KEY }, maxBytes: 2048, maxFiles: 1000 });
			const warden = await governed(sink, 5);
			await warden.close();
			const result = await verifyAuditLog(path, { key: KEY, endsAt: sink.lastLink as { seq: number; hash: string } });
			expect(result).toMatchObject({ ok: true, firstSeq: 1, lost: 0 });
			expect(result.count).toBeGreaterThan(100);
			expect(result.lastSeq).toBe(result.count);
			// No torn line survives, no rotation was left half-done.
			const names = await readdir(folder);
			expect(names.filter((n) => n.endsWith('.next') || n.endsWith('.lock'))).toEqual([]);
			for (const name of names) expect((await readFile(join(folder, name), 'utf8')).endsWith('\n')).toBe(true);
		},
	);

	it('a torn last line is cut on open and the repair is recorded as a chained line', async () => {
		const path = join(await dir(), 'audit.jsonl');
		let sink = new JsonlFileSink(path, { hashChain: true });
		await (await governed(sink, 3)).close();
		const whole = await readFile(path, 'utf8');
		const lastLine = whole.trimEnd().split('\n').at(-1) as string;
		// What a kill in the middle of a write leaves: the start of a line, without its end.
		await writeFile(path, `${whole}${lastLine.slice(0, 100)}`);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: false, kind: 'truncated', firstBadSeq: 7 });
		sink = new JsonlFileSink(path, { hashChain: true });
		await (await governed(sink, 1)).close();
		expect(sink.stats.repairs).toBe(1);
		const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
		expect(JSON.parse(lines[6] as string)).toMatchObject({ seq: 7, record: 'repair', removedBytes: 100 });
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 9, repairs: 1 });
	});

	it('a crash between moving the old file away and putting the new one in place: the next sink completes the rotation', async () => {
		const folder = await dir();
		const path = join(folder, 'audit.jsonl');
		const sink = new JsonlFileSink(path, { hashChain: true });
		await (await governed(sink, 3)).close();
		// The state rotateFiles leaves when killed after `audit.jsonl -> .1`, before `.next -> audit.jsonl`.
		const head = new ChainHasher().line(
			sink.lastLink as { seq: number; hash: string },
			recordBody('rotate', { previous: 'audit.jsonl.1' }),
		);
		await writeFile(`${path}.next`, head.line);
		await rename(path, `${path}.1`);
		const next = new JsonlFileSink(path, { hashChain: true, maxBytes: 1 << 20 });
		await (await governed(next, 2)).close();
		expect(existsSync(`${path}.next`)).toBe(false);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 6 + 1 + 4, files: [`${path}.1`, path] });
	});

	it('a crash before the old file moved: the prepared file is dropped and the chain continues in the old one', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { hashChain: true });
		await (await governed(sink, 3)).close();
		await writeFile(`${path}.next`, '{"seq":7,"prevHash":"partial');
		await (await governed(new JsonlFileSink(path, { hashChain: true }), 2)).close();
		expect(existsSync(`${path}.next`)).toBe(false);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 10 });
	});
});

describe('a file deleted or replaced while open', () => {
	it('is noticed at the next write: the lines are counted lost, reported at once, a new file opened with the gap', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const errors: string[] = [];
		const sink = new JsonlFileSink(path, { hashChain: true });
		const warden = await governed(sink, 5, { onAuditError: (e) => errors.push(e.message) });
		await warden.flush();
		await unlink(path);
		for (let i = 0; i < 5; i++) await warden.run('t', { i }, () => i);
		await until(() => sink.stats.pending === 0 && errors.length > 0);
		// Reported before anyone flushed, and the new file is already there, starting with the gap.
		expect(errors).toEqual([
			expect.stringMatching(
				/10 event\(s\) were not written: .*audit\.jsonl was deleted or replaced while open/,
			) as string,
		]);
		await until(() => existsSync(path));
		expect(sink.stats).toMatchObject({ written: 10, failed: 10, reopened: 1 });
		expect(warden.auditStats).toMatchObject({ written: 10, failed: 10 });
		await expect(warden.flush()).rejects.toThrow(/10 event\(s\) were not written/);
		for (let i = 0; i < 3; i++) await warden.run('t', { i }, () => i);
		await warden.close();
		const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
		expect(JSON.parse(lines[0] as string)).toMatchObject({ seq: 11, record: 'gap', lost: 10 });
		expect(lines).toHaveLength(7);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 7, lost: 10, firstSeq: 11 });
	});

	it("with auditFailMode 'closed', the call whose event went into the deleted file does not run", async () => {
		const path = join(await dir(), 'audit.jsonl');
		const warden = new Warden({
			audit: new JsonlFileSink(path),
			auditFailMode: 'closed',
			onAuditError: () => undefined,
		});
		await warden.run('t', {}, () => 1);
		await warden.flush();
		await unlink(path);
		let ran = false;
		const denied = await warden.run('t', {}, () => (ran = true)).catch((error: unknown) => error);
		expect(ran).toBe(false);
		expect(denied).toMatchObject({
			source: 'audit_unavailable',
			reason: expect.stringMatching(/deleted or replaced while open/) as string,
		});
		// The new file is in place: the next call is recorded and runs.
		await expect(warden.run('t', {}, () => 'ran')).resolves.toBe('ran');
		await expect(warden.close()).rejects.toThrow(/1 event\(s\) were not written/);
	});

	it('a file replaced by another (a rename over it) is noticed the same way', async () => {
		const folder = await dir();
		const path = join(folder, 'audit.jsonl');
		const sink = new JsonlFileSink(path);
		const warden = await governed(sink, 2);
		await warden.flush();
		await writeFile(join(folder, 'other'), '');
		await rename(join(folder, 'other'), path);
		await warden.run('t', {}, () => 1);
		await expect(warden.flush()).rejects.toThrow(/2 event\(s\) were not written: .*deleted or replaced while open/);
		await warden.run('t', {}, () => 1);
		await warden.close();
		const lines = (await readFile(path, 'utf8'))
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l) as { record?: string; lost?: number });
		expect(lines.map((l) => l.record ?? 'event')).toEqual(['gap', 'event', 'event']);
		expect(sink.stats).toMatchObject({ written: 6, failed: 2 });
	});
});

describe('one writer per file', () => {
	it('a second sink in the same process is refused until the first closes', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const first = new JsonlFileSink(path);
		expect(() => new JsonlFileSink(path)).toThrow(ConfigError);
		expect(() => new JsonlFileSink(path)).toThrow(
			`Another JsonlFileSink in this process (pid ${process.pid}) already writes ${path}`,
		);
		await first.close();
		await new JsonlFileSink(path).close();
		expect(existsSync(`${path}.lock`)).toBe(false);
	});

	it('another live process holding the file makes construction fail naming it; once it is killed, its lock is taken over', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const child = await startWorker(['hold', path], 'held');
		try {
			expect(() => new JsonlFileSink(path)).toThrow(
				new RegExp(`being written by another process: pid ${child.pid} on ${hostname()}`),
			);
		} finally {
			await kill(child);
		}
		const sink = new JsonlFileSink(path);
		await (await governed(sink, 1)).close();
		expect(sink.stats.written).toBe(2);
	});

	it('takes over a lock left by an earlier process with our pid, or by a pid now used by another program', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const stale = (pid: number, started: string | null) =>
			writeFile(`${path}.lock`, JSON.stringify({ pid, host: hostname(), started, since: 'earlier' }));
		await stale(process.pid, null);
		await new JsonlFileSink(path).close();
		// A pid that could never be a holder (0 would signal our own process group).
		await stale(0, null);
		await new JsonlFileSink(path).close();
		if (existsSync('/proc/1/stat')) {
			await stale(1, 'not-the-start-time-of-pid-1');
			await new JsonlFileSink(path).close();
		}
		// A lock of a live process on another host cannot be checked: it is respected.
		await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', started: null, since: 'earlier' }));
		expect(() => new JsonlFileSink(path)).toThrow(/pid 1 on elsewhere/);
	});
});

describe('a full disk (tmpfs in a private mount namespace)', () => {
	const skip = !isRoot ? 'needs root to mount a tmpfs (CI runs as root)' : !hasUnshare ? 'needs unshare(1)' : undefined;
	it.skipIf(skip !== undefined)(
		`counts exactly what reached the disk, reports it at once, denies in closed mode, records the gap ${skip === undefined ? '' : `(skipped: ${skip})`}`,
		async () => {
			const folder = await dir();
			const script = `mount -t tmpfs -o size=64k tmpfs '${folder}' && exec '${process.execPath}' --import tsx '${worker}' fill '${folder}'`;
			const { code, stdout, stderr } = await runCommand(
				'unshare',
				['-m', '--propagation', 'private', 'sh', '-c', script],
				60_000,
			);
			expect(stderr).toBe('');
			expect(code).toBe(0);
			const report = JSON.parse(stdout) as Record<string, unknown> & {
				stats: { written: number; failed: number; pending: number };
				statsWhenFull: { failed: number };
				verified: { ok: boolean; lost: number };
			};
			// Only fully written lines count: the sink's count is the lines on disk, and the file ends with a whole line.
			expect(report['events']).toBe(report.stats.written);
			expect(report['endsWithNewline']).toBe(true);
			expect(report.statsWhenFull.failed).toBeGreaterThan(0);
			expect(report.stats.written + report.stats.failed).toBe((report['emitted'] as number) + 6);
			expect(report['auditStats']).toEqual({ written: report.stats.written, failed: report.stats.failed, pending: 0 });
			expect(report['reportedBeforeFlush']).toBe(true);
			expect(report['flushError']).toMatch(/event\(s\) were not written: ENOSPC/);
			// auditFailMode 'closed': the call whose event could not be written did not run; once space is back, calls run.
			expect(report).toMatchObject({ denied: 'audit_unavailable', ran: false, ranAfter: true });
			// The chain holds, and its gap lines account for every lost event.
			expect(report.verified).toMatchObject({ ok: true, lost: report.stats.failed });
			expect(await stat(folder).then((s) => s.isDirectory())).toBe(true);
			await rm(folder, { recursive: true });
		},
	);
});
