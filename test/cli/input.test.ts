import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveLogSets } from '../../src/cli/input/logSets.js';
import { Progress } from '../../src/cli/input/progress.js';
import type { LogReport } from '../../src/cli/report/LogReport.js';
import { cli, writeLogs, type Logs } from './helpers.js';

let logs: Logs;
let lines: string[];
beforeAll(async () => {
	logs = await writeLogs();
	lines = (await readFile(logs.enforce, 'utf8')).trimEnd().split('\n');
});

async function logWith(content: string, name = 'audit.jsonl'): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'tw-input-'));
	await writeFile(join(dir, name), content);
	return join(dir, name);
}

describe('bad input: one clear line, exit 2', () => {
	it('a corrupt line names its file and line number', async () => {
		const path = await logWith(`${lines[0]}\n${lines[1]}\n{"action":"call_all\n${lines[2]}\n`);
		for (const command of [['report'], ['replay', '--policy', 'test/cli/fixtures/policy-v1.ts']]) {
			const run = await cli([...command, path]);
			expect(run).toMatchObject({ code: 2, stdout: '' });
			expect(run.stderr).toBe(
				`toolwarden ${command[0]}: ${path}:3: not valid JSON (a corrupt line): {"action":"call_all\n`,
			);
		}
	});

	it('a JSON line that is not an object', async () => {
		const run = await cli(['report', await logWith(`${lines[0]}\n[1,2]\n`)]);
		expect(run.stderr).toMatch(/:2: not an audit event \(a JSON object per line\): \[1,2\]\n$/);
	});

	it('a missing file, an empty directory, no paths', async () => {
		expect(await cli(['report', 'nowhere.jsonl'])).toMatchObject({
			code: 2,
			stderr: 'toolwarden report: nowhere.jsonl: no such file or directory.\n',
		});
		const empty = await mkdtemp(join(tmpdir(), 'tw-empty-'));
		expect((await cli(['verify', empty])).stderr).toBe(
			`toolwarden verify: ${empty}: no audit logs (*.jsonl, *.jsonl.N) in this directory.\n`,
		);
		expect(await cli(['report'])).toMatchObject({
			code: 2,
			stderr: 'toolwarden report: no log files given (pass files, rotated sets or directories).\n',
		});
	});

	it('unknown commands and options, with usage; --help exits 0', async () => {
		expect(await cli(['repot', 'x'])).toMatchObject({
			code: 2,
			stderr: 'toolwarden: unknown command "repot" (commands: verify, report, replay, approvals).\n',
		});
		const option = await cli(['report', logs.enforce, '--sesion', 'x']);
		expect(option.code).toBe(2);
		expect(option.stderr.split('\n')[0]).toMatch(/^toolwarden report: Unknown option '--sesion'/);
		expect((await cli([])).code).toBe(2);
		const help = await cli(['--help']);
		expect(help).toMatchObject({ code: 0, stderr: '' });
		expect(help.stdout).toMatch(
			/verify +check the hash chain[\s\S]*report +what happened[\s\S]*replay +replay recorded calls/,
		);
		expect((await cli(['replay', '--help'])).stdout).toContain('--fail-on newly-denied|newly-allowed|changed');
	});
});

describe('what a crash or a newer writer leaves is skipped, not fatal', () => {
	it('a torn last line (no newline) is skipped with a warning', async () => {
		const path = await logWith(`${lines.slice(0, 4).join('\n')}\n${(lines[4] as string).slice(0, 50)}`);
		const run = await cli(['report', path, '--json']);
		expect(run.code).toBe(0);
		expect(run.stderr).toBe(
			`toolwarden report: skipped a torn last line at ${path}:5 (a write cut short by a crash).\n`,
		);
		expect(JSON.parse(run.stdout)).toMatchObject({
			tornLines: 1,
			byAction: { call_allowed: 2, call_executed: 1, call_denied: 1 },
		});
		// Replay reads the log twice (sessions first); it still warns once.
		const replayed = await cli(['replay', path, '--policy', 'test/cli/fixtures/policy-v2.ts', '--json']);
		expect(replayed.stderr).toBe(
			`toolwarden replay: skipped a torn last line at ${path}:5 (a write cut short by a crash).\n`,
		);
		expect(JSON.parse(replayed.stdout)).toMatchObject({ calls: 3, unchanged: 3 });
	});

	it('an unterminated last line that parses is an event; other records are counted, not read as calls', async () => {
		const path = await logWith(`${lines[0]}\n{"kind":"repair","seq":3}\n${lines[1]}`);
		const report = JSON.parse((await cli(['report', path, '--json'])).stdout) as LogReport;
		expect(report).toMatchObject({
			calls: 1,
			otherLines: 1,
			tornLines: 0,
			byAction: { call_allowed: 1, call_executed: 1 },
		});
	});

	it('CRLF line ends and blank lines are fine', async () => {
		const path = await logWith(`${lines[0]}\r\n\n${lines[1]}\r\n`);
		expect(JSON.parse((await cli(['report', path, '--json'])).stdout)).toMatchObject({
			calls: 1,
			byAction: { call_executed: 1 },
		});
	});
});

describe('log sets', () => {
	it('groups a base file with its rotations, oldest first; a rotated file named alone is read alone', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'tw-sets-'));
		for (const name of ['a.jsonl', 'a.jsonl.1', 'a.jsonl.10', 'a.jsonl.2', 'b.jsonl', 'b.jsonl.lock', 'notes.txt'])
			await writeFile(join(dir, name), '');
		await mkdir(join(dir, 'sub'));
		const all = await resolveLogSets([dir], '/');
		expect(all.map((s) => s.files.map((f) => f.slice(dir.length + 1)))).toEqual([
			['a.jsonl.10', 'a.jsonl.2', 'a.jsonl.1', 'a.jsonl'],
			['b.jsonl'],
		]);
		expect((await resolveLogSets([join(dir, 'a.jsonl')], '/'))[0]?.files).toHaveLength(4);
		expect((await resolveLogSets(['a.jsonl.2'], dir)).map((s) => s.files)).toEqual([[join(dir, 'a.jsonl.2')]]);
		expect(await resolveLogSets([join(dir, 'a.jsonl'), dir, join(dir, 'a.jsonl.1')], '/')).toHaveLength(2);
	});
});

describe('progress', () => {
	it('draws on a terminal only, and clears its line when done', () => {
		const written: string[] = [];
		const io = { stdout: { write: () => true }, stderr: { write: (t: string) => written.push(t) }, cwd: '/' };
		const quiet = new Progress({ ...io, progress: false }, 'report', 2048);
		quiet.advance(1024, 10);
		quiet.finish();
		expect(written).toEqual([]);
		const shown = new Progress({ ...io, progress: true }, 'report', 2048);
		shown.advance(1024, 10);
		shown.finish();
		expect(written).toEqual(['\rreport: 1.0 KB of 2.0 KB (50%), 10 events\u001b[K', '\r\u001b[K']);
	});
});
