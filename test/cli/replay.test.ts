import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src/cli/replay/ReplayDiff.js';
import { Warden, type MemorySink, type MemoryStorage } from '../../src/index.js';
import v1 from './fixtures/policy-v1.js';
import { cli, FIXTURES, writeLogs, type Logs } from './helpers.js';

let logs: Logs;
beforeAll(async () => {
	logs = await writeLogs();
});

const policy = (name: string) => join(FIXTURES, `${name}.ts`);
const replay = async (path: string, name: string, ...more: string[]) => {
	const run = await cli(['replay', path, '--policy', policy(name), '--json', ...more]);
	expect(run.stderr).toBe('');
	return { code: run.code, result: JSON.parse(run.stdout) as ReplayResult & { assumedOutcomes: number } };
};

describe('toolwarden replay: the observe log (policy v1) against a revised, enforcing policy (v2)', () => {
	it('finds exactly the scripted differences, per rule and per tool', async () => {
		const { code, result } = await replay(logs.observe, 'policy-v2');
		expect(code).toBe(0);
		expect(result).toMatchObject({
			calls: 12,
			uncertain: 1,
			// The second search now hits maxCallsPerTool { search: 1 } (the first one, with its redacted apiKey, ran).
			newlyDenied: { total: 1, byRule: { maxCallsPerTool: 1 }, byTool: { search: 1 } },
			// config/.env is allowed now; b.txt passes the write budget, as enforcing /secrets/k kept writes at 1.
			newlyAllowed: { total: 2, byRule: { noDotEnv: 1, fewWrites: 1 }, byTool: { read_file: 1, write_file: 1 } },
			differentRule: 2,
			differentRuleDetail: { byRule: { 'noDotEnv -> noEnvFiles': 2 }, byTool: { read_file: 2 } },
			replayChanged: { total: 0 },
			unchanged: 6,
		});
		const allowed = result.examples
			.filter((e) => e.change === 'newlyAllowed')
			.map((e) => [e.sessionId, e.toolName, e.args]);
		expect(allowed).toEqual([
			['s-alpha', 'write_file', { path: 'b.txt', content: 'x' }],
			['s-beta', 'read_file', { path: 'config/.env' }],
		]);
		const denied = result.examples.find((e) => e.change === 'newlyDenied');
		expect(denied).toMatchObject({
			toolName: 'search',
			args: { q: 'boom' },
			recorded: { kind: 'allow' },
			replayed: { kind: 'deny', rules: ['maxCallsPerTool'] },
		});
	});

	it('a call failing several new rules counts once in the total and once per rule', async () => {
		const { result } = await replay(logs.observe, 'policy-v3');
		expect(result).toMatchObject({
			calls: 12,
			uncertain: 1,
			newlyDenied: { total: 2, byRule: { noTxt: 2, noCFiles: 1 }, byTool: { write_file: 2 } },
			newlyAllowed: { total: 0 },
			differentRule: 1,
			differentRuleDetail: { byRule: { 'fewWrites -> noTxt': 1 } },
			unchanged: 8,
		});
	});

	it('replaying a log against the policy that wrote it changes nothing (observe and enforce logs)', async () => {
		for (const [path, name] of [
			[logs.observe, 'policy-v1'],
			[logs.enforce, 'policy-v2'],
		] as const) {
			const { result } = await replay(path, name, '--fail-on', 'changed');
			expect(result).toMatchObject({
				calls: 12,
				uncertain: 1,
				newlyDenied: { total: 0 },
				newlyAllowed: { total: 0 },
				differentRule: 0,
				unchanged: 11,
			});
		}
	});

	it('the enforce log against an observe policy: what enforcing stopped is newly allowed', async () => {
		const { result } = await replay(logs.enforce, 'policy-v1');
		// v1 has no search limit (the second search is allowed again) and reads noDotEnv for noEnvFiles.
		expect(result.newlyAllowed).toEqual({ total: 1, byRule: { maxCallsPerTool: 1 }, byTool: { search: 1 } });
		// config/.env is a would-deny again; b.txt now follows /secrets/k, which ran (assumed) under observe: 2 writes.
		expect(result.newlyDenied).toEqual({
			total: 2,
			byRule: { noDotEnv: 1, fewWrites: 1 },
			byTool: { read_file: 1, write_file: 1 },
		});
		expect(result.differentRule).toBe(2);
		expect(result.assumedOutcomes).toBe(6);
	});
});

describe('toolwarden replay --fail-on (a CI gate)', () => {
	it('exits 1 when the named difference exists, 0 otherwise', async () => {
		expect((await replay(logs.observe, 'policy-v2', '--fail-on', 'newly-denied')).code).toBe(1);
		expect((await replay(logs.observe, 'policy-v2', '--fail-on', 'newly-allowed')).code).toBe(1);
		expect((await replay(logs.observe, 'policy-v3', '--fail-on', 'newly-allowed')).code).toBe(0);
		expect((await replay(logs.observe, 'policy-v3', '--fail-on', 'newly-allowed,changed')).code).toBe(1);
		expect((await replay(logs.observe, 'policy-v1', '--fail-on', 'changed')).code).toBe(0);
	});

	it('the text output names the rules, tools and examples', async () => {
		const run = await cli(['replay', dirname(logs.observe), '--policy', policy('policy-v2')]);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain(
			'Newly denied (the log let them through): 1\n  by rule   maxCallsPerTool 1\n  by tool   search 1',
		);
		expect(run.stdout).toContain('Newly allowed (the log denied them): 2\n  by rule   fewWrites 1 · noDotEnv 1');
		expect(run.stdout).toContain('Uncertain: 1 calls');
		expect(run.stdout).toContain('was denied by noDotEnv; now allowed');
	});
});

describe('toolwarden replay: bad policies are one line and exit 2', () => {
	it.each([
		['policy-throws', 'the module threw while loading: policy exploded at load'],
		['policy-no-default', 'no default export; export default the WardenOptions (or a function returning them).'],
		['missing-policy', 'no such file.'],
	])('%s', async (name, message) => {
		const run = await cli(['replay', logs.observe, '--policy', policy(name)]);
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toBe(`toolwarden replay: --policy ${policy(name)}: ${message}\n`);
	});

	it('invalid WardenOptions, a missing --policy, an unknown --fail-on', async () => {
		const bad = join(FIXTURES, 'policy-invalid.ts');
		expect((await cli(['replay', logs.observe, '--policy', bad])).stderr).toMatch(
			/^toolwarden replay: --policy: invalid WardenOptions: .*mdoe.*\n$/,
		);
		expect(await cli(['replay', logs.observe])).toMatchObject({
			code: 2,
			stderr: 'toolwarden replay: --policy P is required (a module whose default export is WardenOptions).\n',
		});
		expect(
			(await cli(['replay', logs.observe, '--policy', policy('policy-v1'), '--fail-on', 'sometimes'])).stderr,
		).toBe('toolwarden replay: --fail-on sometimes: expected newly-denied, newly-allowed, changed.\n');
	});

	it("ignores the policy's audit sinks and storage", async () => {
		const { result } = await replay(logs.observe, 'policy-with-sink');
		expect(result.calls).toBe(12);
		const { sink, storage } =
			(globalThis as { policyWithSink?: { sink: MemorySink; storage: MemoryStorage } }).policyWithSink ?? {};
		expect(sink?.events).toHaveLength(0);
		expect(storage?.totals('s-alpha').attempts).toBe(0);
		// The same options in a Warden of their own do use them: the checks above can fail.
		await new Warden({ ...v1(), audit: sink as MemorySink, storage: storage as MemoryStorage }).run(
			'read_file',
			{ path: 'a' },
			() => 1,
			{ sessionId: 's-alpha' },
		);
		expect(sink?.events).toHaveLength(2);
		expect(storage?.totals('s-alpha').attempts).toBe(1);
	});
});
