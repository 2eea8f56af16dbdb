import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAnchor, readKeyFile } from '../../src/cli/commands/verify.js';
import { ChainHasher, GENESIS_HASH, type ChainLink } from '../../src/audit/chainLine.js';
import { KEYED_CHAINS_SUPPORTED, STREAMING_VERIFIER } from '../../src/cli/verify/checkChain.js';
import { cli, writeLogs, type Logs } from './helpers.js';

let logs: Logs;
beforeAll(async () => {
	logs = await writeLogs();
});

/** Every line of a set's files: the sink's own record lines (`rotate`, `repair`, `gap`) are chained lines too. */
async function lineCount(files: readonly string[]): Promise<number> {
	let total = 0;
	for (const file of files) total += (await readFile(file, 'utf8')).split('\n').length - 1;
	return total;
}

/** The index of a file's first audit event line (a rotated file starts with the sink's `rotate` record). */
async function firstEventLine(file: string): Promise<number> {
	return (await readFile(file, 'utf8')).split('\n').findIndex((line) => line.includes('"sessionId":"s-'));
}

/** A copy of the observe set to tamper with. */
async function copy(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'tw-verify-'));
	await cp(dirname(logs.observe), dir, { recursive: true });
	return join(dir, 'audit.jsonl');
}

async function editLine(file: string, index: number, edit: (line: string) => string | undefined): Promise<number> {
	const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
	const seq = (JSON.parse(lines[index] as string) as { seq: number }).seq;
	const edited = edit(lines[index] as string);
	if (edited === undefined) lines.splice(index, 1);
	else lines[index] = edited;
	await writeFile(file, `${lines.join('\n')}\n`);
	return seq;
}

const verify = async (...argv: string[]) => {
	const run = await cli(['verify', ...argv, '--json']);
	return {
		code: run.code,
		stderr: run.stderr,
		result: JSON.parse(run.stdout || 'null') as { ok: boolean; sets: Array<Record<string, unknown>> },
	};
};

describe('toolwarden verify', () => {
	it('passes an intact rotated, hash-chained set and counts every line across its files', async () => {
		const { code, result } = await verify(logs.observe);
		expect(code).toBe(0);
		expect(result.ok).toBe(true);
		expect(result.sets).toHaveLength(1);
		const files = result.sets[0]?.['files'] as string[];
		const lines = await lineCount(files);
		// 24 audit events, plus the sink's rotate records.
		expect(lines).toBeGreaterThan(24);
		expect(result.sets[0]).toMatchObject({ ok: true, count: lines });
		expect(files.at(-1)).toBe(logs.observe);
		const text = await cli(['verify', logs.observe]);
		expect(text.stdout).toMatch(
			new RegExp(`^ok {6}.*audit\\.jsonl \\(\\+\\d+ rotated\\): ${lines} lines, chain intact\n$`),
		);
	});

	it('names the first bad line of an edited rotated file, exit 1', async () => {
		const path = await copy();
		const index = await firstEventLine(`${path}.2`);
		const seq = await editLine(`${path}.2`, index, (line) => line.replace('"sessionId":"s-', '"sessionId":"x-'));
		const { code, result } = await verify(path);
		expect(code).toBe(1);
		expect(result.sets[0]).toMatchObject({ ok: false, firstBadSeq: seq, count: seq - 1 });
		expect(String(result.sets[0]?.['reason'])).toContain('modified');
		const text = await cli(['verify', path]);
		expect(text.stdout).toContain(`BROKEN  ${path} (+`);
		expect(text.stdout).toContain(`first bad line seq ${seq}`);
	});

	it('a deleted line breaks the chain; every set is checked, and one broken set fails the run', async () => {
		const path = await copy();
		const seq = await editLine(`${path}.1`, 0, () => undefined);
		const { code, result } = await verify(path, logs.observe);
		expect(code).toBe(1);
		expect(result.ok).toBe(false);
		expect(result.sets.map((s) => [s['ok'], s['firstBadSeq']])).toEqual([
			[false, seq + 1],
			[true, undefined],
		]);
	});

	it('--ends-at detects lines cut from the end', async () => {
		const anchor = `${logs.observeSink.lastLink?.seq}:${logs.observeSink.lastLink?.hash}`;
		expect((await verify(logs.observe, '--ends-at', anchor)).code).toBe(0);
		const path = await copy();
		const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
		await writeFile(path, `${lines.slice(0, -1).join('\n')}\n`);
		expect((await verify(path)).code).toBe(0);
		const cut = await verify(path, '--ends-at', anchor);
		expect(cut.code).toBe(1);
		const left = await lineCount(cut.result.sets[0]?.['files'] as string[]);
		expect(cut.result.sets[0]).toMatchObject({ ok: false, count: left, kind: 'truncated' });
	});

	it('a log without a hash chain fails verification', async () => {
		const { code, result } = await verify(logs.enforce);
		expect(code).toBe(1);
		expect(String(result.sets[0]?.['reason'])).toContain('no hash chain fields');
	});

	it('usage errors exit 2 with one line', async () => {
		expect(await cli(['verify', logs.observe, '--ends-at', '12'])).toMatchObject({ code: 2, stdout: '' });
		expect((await cli(['verify', logs.observe, logs.enforce, '--ends-at', `1:${'a'.repeat(64)}`])).stderr).toBe(
			'toolwarden verify: --ends-at anchors one log set; name one set (a file and its rotations).\n',
		);
		expect(parseAnchor(` 24:${'AB'.repeat(32)}\n`)).toEqual({ seq: 24, hash: 'ab'.repeat(32) });
	});

	it('--key-file: refused until verifyAuditLog checks keyed chains; a key drops its trailing newline', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'tw-key-'));
		await writeFile(join(dir, 'key'), 'secret-key\n');
		await writeFile(join(dir, 'key-crlf'), 'secret-key\r\n');
		expect((await readKeyFile(join(dir, 'key'))).toString()).toBe('secret-key');
		expect((await readKeyFile(join(dir, 'key-crlf'))).toString()).toBe('secret-key');
		const run = await cli(['verify', logs.observe, '--key-file', join(dir, 'key')]);
		if (KEYED_CHAINS_SUPPORTED) expect(run.code).not.toBe(2);
		else
			expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot check keyed (HMAC) chains yet') });
	});

	it('streams: a file past the old 16 MiB whole-file limit verifies, and an edit near its end is found', async () => {
		expect(STREAMING_VERIFIER).toBe(true);
		const path = join(await mkdtemp(join(tmpdir(), 'tw-big-')), 'audit.jsonl');
		const hasher = new ChainHasher();
		let link: ChainLink = { seq: 0, hash: GENESIS_HASH };
		const lines: string[] = [];
		const body = `"action":"call_allowed","toolArgs":{"text":"${'x'.repeat(900)}"}`;
		for (let i = 0; i < 20_000; i++) {
			const next = hasher.line(link, body);
			lines.push(next.line);
			link = next.link;
		}
		await writeFile(path, lines.join(''));
		expect((await readFile(path)).length).toBeGreaterThan(16 * 1024 * 1024);
		expect(await verify(path)).toMatchObject({ code: 0, result: { ok: true, sets: [{ ok: true, count: 20_000 }] } });
		lines[19_990] = (lines[19_990] as string).replace('"x', '"y');
		await writeFile(path, lines.join(''));
		const broken = await verify(path);
		expect(broken.code).toBe(1);
		expect(broken.result.sets[0]).toMatchObject({ ok: false, kind: 'modified', firstBadSeq: 19_991, count: 19_990 });
	});
});
