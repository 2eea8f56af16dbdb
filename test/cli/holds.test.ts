import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../src/cli/input/parseEvent.js';
import type { LogReport } from '../../src/cli/report/LogReport.js';
import { recordedVerdict } from '../../src/cli/replay/verdicts.js';
import type { ReplayResult } from '../../src/cli/replay/ReplayDiff.js';
import { ApprovalRequired, JsonlFileSink, Warden } from '../../src/index.js';
import holdPolicy from './fixtures/policy-hold.js';
import { at, cli, FIXTURES } from './helpers.js';

const write = (path: string) => ({ path, content: 'x' });

/** A held write, approved by a person, then retried (it runs on the grant); a second held write is denied. */
async function writeHeldLog(path: string): Promise<void> {
	const warden = new Warden({ ...holdPolicy(), audit: new JsonlFileSink(path, { hashChain: true }) });
	const options = { sessionId: 's-ops', principal: { userId: 'agent-1' } };
	const run = (args: object) => warden.run('write_file', args, () => ({ ok: true }), options);
	await run(write('a.txt'));
	const held = await run(write('/etc/hosts')).catch((error: unknown) => error);
	expect(held).toBeInstanceOf(ApprovalRequired);
	const id = (held as ApprovalRequired).approval.id;
	await warden.approvals.approve(id, { approver: 'alice' });
	await run(write('/etc/hosts'));
	const second = (await run(write('/etc/motd')).catch((error: unknown) => error)) as ApprovalRequired;
	await warden.approvals.deny(second.approval.id, { approver: 'bob', reason: 'Not today.' });
	await run(write('/etc/motd')).catch(() => undefined);
	await warden.close();
}

let log: string;
beforeAll(async () => {
	log = join(await mkdtemp(join(tmpdir(), 'tw-holds-')), 'audit.jsonl');
	await at('2026-03-03T10:00:00.000Z', () => writeHeldLog(log));
});

describe('holds and approvals in the CLI (API §10)', () => {
	it('report counts held calls by rule and tool, and approvals by outcome and approver', async () => {
		const run = await cli(['report', log, '--json']);
		expect(run.code).toBe(0);
		const report = JSON.parse(run.stdout) as LogReport;
		expect(report.calls).toBe(5);
		expect(report.held).toEqual({
			total: 2,
			byRule: { approveEtcWrites: 2 },
			byTool: { write_file: 2 },
		});
		expect(report.approvals).toEqual({ granted: 1, denied: 1, expired: 0, byApprover: { alice: 1, bob: 1 } });
		expect(report.byAction).toMatchObject({ call_held: 2, approval_granted: 1, approval_denied: 1 });
		const text = await cli(['report', log]);
		expect(text.stdout).toContain('Held for approval: 2 calls (40%).\n  by rule   approveEtcWrites 2');
		expect(text.stdout).toContain('Approvals: 1 granted, 1 denied, 0 expired (by alice 1 · bob 1).');
	});

	it("replay against the policy that held the calls: holds compare as holds, the log's answers replay", async () => {
		const run = await cli(['replay', log, '--policy', join(FIXTURES, 'policy-hold.ts'), '--json']);
		expect(run.stderr).toBe('');
		const result = JSON.parse(run.stdout) as ReplayResult;
		expect(result).toMatchObject({
			calls: 5,
			newlyDenied: { total: 0 },
			newlyAllowed: { total: 0 },
			newlyHeld: { total: 0 },
			noLongerHeld: { total: 0 },
			differentRule: 0,
			unchanged: 5,
		});
	});

	it('replay against a policy without the hold: the held calls are no longer held', async () => {
		const run = await cli(['replay', log, '--policy', join(FIXTURES, 'policy-v1.ts'), '--json']);
		const result = JSON.parse(run.stdout) as ReplayResult;
		expect(result.noLongerHeld).toEqual({
			total: 2,
			byRule: { approveEtcWrites: 2 },
			byTool: { write_file: 2 },
		});
		expect(result.examples.filter((e) => e.change === 'noLongerHeld').map((e) => e.recorded.kind)).toEqual([
			'hold',
			'hold',
		]);
		expect((await cli(['replay', log, '--policy', join(FIXTURES, 'policy-v1.ts'), '--fail-on', 'changed'])).code).toBe(
			1,
		);
	});
});

describe('what replay compares for a hold', () => {
	const event = (fields: Partial<LoggedEvent>): LoggedEvent => ({
		timestamp: '2026-03-03T10:00:00.000Z',
		sessionId: 's',
		callId: 'c',
		toolName: 'refund',
		action: 'call_would_deny',
		...fields,
	});

	it('an observe-mode record whose only failures are holds is a hold; any other failure makes it a deny', () => {
		const hold = { source: 'approval', rule: 'approveRefunds', reason: 'ask' };
		const deny = { source: 'precondition', rule: 'noBigRefunds', reason: 'no' };
		expect(recordedVerdict(event({ wouldDeny: [hold] }))).toMatchObject({ kind: 'hold', rules: ['approveRefunds'] });
		expect(recordedVerdict(event({ wouldDeny: [hold, deny] }))).toMatchObject({
			kind: 'deny',
			rules: ['noBigRefunds'],
		});
		expect(recordedVerdict(event({ action: 'call_held', decisionRule: 'approveRefunds' }))).toMatchObject({
			kind: 'hold',
			rules: ['approveRefunds'],
		});
		expect(recordedVerdict(event({ action: 'call_allowed', wouldDeny: [] }))).toMatchObject({ kind: 'allow' });
	});
});
