import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, writeLogs, type Logs } from './helpers.js';

const exec = promisify(execFile);
let logs: Logs;
beforeAll(async () => {
	logs = await writeLogs();
});

/** The binary as a user runs it (from source through tsx): a real process, real exit code, pipes (no terminal). */
async function toolwarden(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
			cwd: ROOT,
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

describe('the toolwarden binary', () => {
	it('is the package bin, built from src/cli/main.ts, which starts with a node shebang', async () => {
		const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
		expect(manifest.bin['toolwarden']).toBe('./dist/cli/main.js');
		expect((await readFile(join(ROOT, 'src/cli/main.ts'), 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
	});

	it('report --json: exit 0, JSON on stdout, nothing on stderr (no progress without a terminal)', async () => {
		const run = await toolwarden('report', logs.observe, '--json');
		expect(run).toMatchObject({ code: 0, stderr: '' });
		expect(JSON.parse(run.stdout)).toMatchObject({ calls: 12, wouldDeny: { calls: 7 } });
	});

	it('replay --fail-on newly-denied exits 1 on a match, and prints the difference', async () => {
		const run = await toolwarden(
			'replay',
			logs.observe,
			'--policy',
			join(FIXTURES, 'policy-v2.ts'),
			'--fail-on',
			'newly-denied',
		);
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('Newly denied (the log let them through): 1');
	});

	it('bad input exits 2 with exactly one line on stderr', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'tw-bin-'));
		const corrupt = join(dir, 'audit.jsonl');
		await writeFile(corrupt, 'not json\n');
		for (const args of [
			['report', corrupt],
			['replay', logs.observe, '--policy', join(FIXTURES, 'policy-throws.ts')],
			['verify', join(dir, 'missing.jsonl')],
			['report', logs.observe, '--until', 'soon'],
		]) {
			const run = await toolwarden(...args);
			expect(run.code).toBe(2);
			expect(run.stdout).toBe('');
			expect(run.stderr).toMatch(/^toolwarden \w+: [^\n]+\n$/);
		}
	});

	it('verify: exit 0 on an intact chain, 1 on a broken one', async () => {
		expect((await toolwarden('verify', logs.observe)).code).toBe(0);
		expect((await toolwarden('verify', logs.enforce)).code).toBe(1);
	});
});
