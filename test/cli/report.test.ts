import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LogReport } from '../../src/cli/report/LogReport.js';
import { cli, writeLogs, type Logs } from './helpers.js';

let logs: Logs;
beforeAll(async () => {
	logs = await writeLogs();
});

const json = async (...argv: string[]) => {
	const run = await cli(['report', ...argv, '--json']);
	expect(run.stderr).toBe('');
	expect(run.code).toBe(0);
	return JSON.parse(run.stdout) as LogReport;
};

describe('toolwarden report on an observe-mode log (rotated, hash-chained)', () => {
	it('reads the whole rotated set from the base path, oldest file first', async () => {
		const files = await readdir(dirname(logs.observe));
		expect(files.length).toBeGreaterThan(3);
		const report = await json(logs.observe);
		expect(report.files).toEqual([
			[...files]
				.sort((a, b) => Number(b.split('.')[2] ?? 0) - Number(a.split('.')[2] ?? 0))
				.map((f) => `${dirname(logs.observe)}/${f}`),
		]);
	});

	it('counts would-denies by rule and tool; a call failing two rules: once in totals, once per rule', async () => {
		const report = await json(logs.observe);
		expect(report).toMatchObject({
			calls: 12,
			sessions: 2,
			byAction: { call_allowed: 5, call_would_deny: 7, call_executed: 11, call_failed: 1 },
			denied: { total: 0, byRule: {}, byTool: {} },
			wouldDeny: {
				calls: 7,
				byRule: { noDotEnv: 3, noSecretsDir: 3, fewWrites: 2 },
				byTool: { read_file: 3, write_file: 4 },
			},
			replayed: 0,
			sideEffectsPrevented: 0,
			sideEffectsWouldPrevent: 4,
			costUsd: 0,
			executed: 11,
			failed: 1,
			from: '2026-03-01T10:00:00.000Z',
		});
		expect(report.topReasons).toEqual([
			{ reason: 'Reading .env files is not allowed.', count: 3, rule: 'noDotEnv' },
			{ reason: 'Writing under /secrets/ is not allowed.', count: 3, rule: 'noSecretsDir' },
			{ reason: 'Write budget used up.', count: 2, rule: 'fewWrites' },
		]);
		expect(report.topSessions.map((s) => [s.sessionId, s.calls, s.wouldDeny])).toEqual([
			['s-alpha', 8, 4],
			['s-beta', 4, 3],
		]);
	});

	it('--session keeps one session', async () => {
		const report = await json(logs.observe, '--session', 's-beta');
		expect(report).toMatchObject({
			calls: 4,
			sessions: 1,
			wouldDeny: { calls: 3, byRule: { noDotEnv: 1, noSecretsDir: 2, fewWrites: 1 } },
		});
	});

	it('the text report leads with what would have been stopped and says what to do next', async () => {
		const run = await cli(['report', logs.observe]);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('12 calls in 2 sessions');
		expect(run.stdout).toContain('Would have been denied: 7 calls (58%)');
		expect(run.stdout).toContain('by rule   noDotEnv 3 · noSecretsDir 3 · fewWrites 2');
		expect(run.stdout).toContain('3×  noDotEnv: Reading .env files is not allowed.');
		expect(run.stdout).toContain('toolwarden replay <logs> --policy');
	});
});

describe('toolwarden report on an enforcing log and on several paths', () => {
	it('counts denials by rule and tool, and the side effects they prevented', async () => {
		const report = await json(logs.enforce);
		expect(report).toMatchObject({
			calls: 12,
			denied: {
				total: 6,
				byRule: { noEnvFiles: 2, noSecretsDir: 3, maxCallsPerTool: 1 },
				byTool: { read_file: 2, write_file: 3, search: 1 },
			},
			wouldDeny: { calls: 0 },
			sideEffectsPrevented: 3,
			byAction: { call_denied: 6, call_allowed: 6, call_executed: 6 },
		});
	});

	it('reads directories and several paths together', async () => {
		const report = await json(dirname(logs.observe), logs.enforce);
		expect(report).toMatchObject({ calls: 24, sessions: 2, denied: { total: 6 }, wouldDeny: { calls: 7 } });
		expect(report.files).toHaveLength(2);
	});

	it('--since and --until select by time (a date alone is the whole day, UTC)', async () => {
		const both = [dirname(logs.observe), dirname(logs.enforce)];
		expect((await json(...both, '--since', '2026-03-02')).calls).toBe(12);
		expect((await json(...both, '--until', '2026-03-01')).calls).toBe(12);
		expect((await json(...both, '--since', '2026-03-01T09:00', '--until', '2026-03-02T11:00:00+01:00')).calls).toBe(12);
		expect((await json(...both, '--since', '2026-03-01T09:00Z')).calls).toBe(24);
		expect((await json(...both, '--since', '2026-03-03')).calls).toBe(0);
	});

	it('bad --since is a usage error with one line, exit 2', async () => {
		const run = await cli(['report', logs.observe, '--since', 'yesterday']);
		expect(run).toMatchObject({ code: 2, stdout: '' });
		expect(run.stderr).toBe(
			'toolwarden report: --since yesterday: not an ISO 8601 date or date-time (2026-03-01, 2026-03-01T12:00Z).\n',
		);
	});
});
