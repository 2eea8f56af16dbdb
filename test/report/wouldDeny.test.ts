import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	formatReport,
	HookDecision,
	beforeHook,
	precondition,
	ToolCallDenied,
	Verdict,
	Warden,
} from '../../src/index.js';
import { RedisStorage } from '../../src/redis/index.js';
import { redisAvailable, RedisServer } from '../redis/redisServer.js';

const isEnvFile = (path: unknown) => String(path).endsWith('.env');
const noDotEnv = precondition(
	['read_file', 'write_file'],
	(call) => (isEnvFile(call.args['path']) ? Verdict.fail('No .env files.') : Verdict.pass()),
	{ name: 'noDotEnv' },
);
// Unnamed on purpose: the report must still tell it apart (issue 15).
const inWorkspace = precondition('write_file', (call) =>
	String(call.args['path']).startsWith('/workspace/') ? Verdict.pass() : Verdict.fail('Write only under /workspace/.'),
);

async function play(warden: Warden, sessionId: string, calls: ReadonlyArray<readonly [string, string]>): Promise<void> {
	for (const [tool, path] of calls) await warden.run(tool, { path }, () => 'ok', { sessionId });
}

describe('warden.report() counts would-denies (API §7, §11)', () => {
	it('given 21 scripted observe-mode calls over 2 sessions, when reported, then 11 would-denies show by rule', async () => {
		const warden = new Warden({
			mode: 'observe',
			contracts: [noDotEnv, inWorkspace],
			limits: { maxCallsPerTool: { search: 3 } },
		});
		await play(warden, 'a', [
			['read_file', 'a.txt'],
			['read_file', '.env'],
			['read_file', 'b.txt'],
			['read_file', 'prod.env'],
			['read_file', 'c'],
			['write_file', '/workspace/x'],
			['write_file', '/tmp/x'],
			['write_file', '/etc/y'],
			['search', 'q1'],
			['search', 'q2'],
			['search', 'q3'],
		]);
		await play(warden, 'b', [
			['search', '1'],
			['search', '2'],
			['search', '3'],
			['search', '4'],
			['search', '5'],
			['read_file', '.env'],
			['read_file', 'x.env'],
			['read_file', 'y.env'],
			['write_file', '/etc/app.env'],
			['write_file', '/etc/db.env'],
		]);

		const a = await warden.report('a');
		const b = await warden.report('b');
		expect([a.calls, b.calls]).toEqual([11, 10]);
		expect([a.denied, b.denied]).toEqual([0, 0]);
		expect(a.wouldDeny).toBe(4);
		expect(a.wouldDenyByRule).toEqual({ noDotEnv: 2, 'precondition(write_file)#2': 2 });
		// A call two rules would have denied counts once in the total and once for each rule.
		expect(b.wouldDeny).toBe(7);
		expect(b.wouldDenyByRule).toEqual({ maxCallsPerTool: 2, noDotEnv: 5, 'precondition(write_file)#2': 2 });
		expect(a.wouldDeny + b.wouldDeny).toBe(11);
		expect(JSON.parse(JSON.stringify(b))).toEqual({ ...b, wouldDenyByRule: { ...b.wouldDenyByRule } });

		const text = formatReport(b);
		expect(text).toContain('denied 0, would deny 7,');
		expect(text).toContain(
			'would have denied 7 calls (not enforced): noDotEnv ×5, maxCallsPerTool ×2, precondition(write_file)#2 ×2',
		);
		expect(text).not.toContain('interventions: none');
	});

	it('given an enforcing Warden, an observe-mode contract counts as would-deny and a denial as an intervention', async () => {
		const shadow = precondition('*', () => Verdict.fail('would stop this'), { name: 'shadowRule', mode: 'observe' });
		const blocker = beforeHook('danger', () => HookDecision.deny('no'), { name: 'blocker' });
		const warden = new Warden({ contracts: [shadow], hooks: [blocker] });
		await warden.run('safe', {}, () => 1);
		await expect(warden.run('danger', {}, () => 1)).rejects.toBeInstanceOf(ToolCallDenied);
		const report = await warden.report();
		// The denied call ran no precondition (the hook denied first), so only the allowed one would have been denied.
		expect(report).toMatchObject({
			calls: 2,
			denied: 1,
			wouldDeny: 1,
			wouldDenyByRule: { shadowRule: 1 },
			interventions: { blocker: 1 },
		});
		const text = formatReport(report);
		expect(text).toContain('interventions: blocker ×1');
		expect(text).toContain('would have denied 1 call (not enforced): shadowRule ×1');
	});

	it('given a session where nothing would have been denied, the report says none and counts zero', async () => {
		const warden = new Warden({ mode: 'observe', contracts: [noDotEnv] });
		await warden.run('read_file', { path: 'ok.txt' }, () => 'ok');
		const report = await warden.report();
		expect(report.wouldDeny).toBe(0);
		expect(report.wouldDenyByRule).toEqual({});
		expect(formatReport(report)).toContain('interventions: none');
		expect(formatReport(report)).not.toContain('would');
	});

	it('resetSession forgets the tally', async () => {
		const warden = new Warden({ mode: 'observe', contracts: [noDotEnv] });
		await warden.run('read_file', { path: '.env' }, () => 'ok');
		expect((await warden.report()).wouldDeny).toBe(1);
		await warden.resetSession();
		expect((await warden.report()).wouldDeny).toBe(0);
	});
});

describe.skipIf(!redisAvailable)('would-denies on a shared store', () => {
	let server: RedisServer | undefined;
	beforeAll(async () => {
		server = await RedisServer.start();
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('given two Wardens (two workers) on one Redis session, the tally is shared and exact', async () => {
		const stores = [0, 1].map(() => new RedisStorage({ url: server?.url ?? '', keyPrefix: 'would-deny:' }));
		try {
			const workers = stores.map((storage) => new Warden({ mode: 'observe', storage, contracts: [noDotEnv] }));
			await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					(workers[i % 2] as Warden).run('read_file', { path: i % 4 === 0 ? '.env' : 'a.txt' }, () => 'ok', {
						sessionId: 'shared',
					}),
				),
			);
			const report = await workers[0]?.report('shared');
			expect(report).toMatchObject({ calls: 20, wouldDeny: 5, wouldDenyByRule: { noDotEnv: 5 } });
		} finally {
			await Promise.all(stores.map((store) => store.close()));
		}
	});
});
