import { describe, expect, it } from 'vitest';
import {
	AuditAction,
	beforeHook,
	HookDecision,
	MemorySink,
	precondition,
	requireApproval,
	sessionContract,
	Verdict,
	Warden,
} from '../../src/index.js';

const refund = (warden: Warden, amount = 900, options = {}) => warden.begin('refund', { amount }, options);

describe('a hold in the pipeline', () => {
	it('holds the call with an approval request when nothing denies it', async () => {
		const warden = new Warden({ contracts: [requireApproval('refund', { message: 'Refunds need a supervisor.' })] });
		const call = await refund(warden);
		expect(call.allowed).toBe(false);
		expect(call.decision).toMatchObject({
			action: 'hold',
			source: 'approval',
			rule: 'requireApproval',
			reason: 'Refunds need a supervisor.',
		});
		expect(call.decision.approval).toMatchObject({ message: 'Refunds need a supervisor.' });
		expect(call.decision.approval?.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(call.decision.approval?.digest).toMatch(/^[0-9a-f]{64}$/);
		await expect(call.succeed(1)).rejects.toThrow(/must not run/);
	});

	it('keeps evaluating after a hold: a later denial wins and no request is opened', async () => {
		const warden = new Warden({
			contracts: [
				requireApproval('refund'),
				precondition('refund', function capped(call) {
					return Number(call.args.amount) > 1000 ? Verdict.fail('Over the hard cap.') : Verdict.pass();
				}),
			],
		});
		const call = await refund(warden, 5000);
		expect(call.decision).toMatchObject({ action: 'deny', source: 'precondition', rule: 'capped' });
		expect(call.decision.approval).toBeUndefined();
		expect(await warden.approvals.list()).toEqual([]);
	});

	it('a hold does not reserve an execution: a limit reached later still denies', async () => {
		const warden = new Warden({ contracts: [requireApproval('refund')], limits: { maxToolCalls: 0 } });
		expect((await refund(warden)).decision).toMatchObject({ action: 'deny', source: 'execution_limit' });
		const held = new Warden({ contracts: [requireApproval('refund')], limits: { maxToolCalls: 1 } });
		await refund(held);
		expect((await held.report()).executed).toBe(0);
	});

	it('HookDecision.hold and Verdict.hold from a session contract hold too; the first hold names the request', async () => {
		const hook = beforeHook('refund', function bigRefund() {
			return HookDecision.hold('Hook says: ask.', { ttlMs: 60_000 });
		});
		const session = sessionContract(function sessionHold() {
			return Verdict.hold('Session says: ask.');
		});
		const warden = new Warden({ hooks: [hook], contracts: [session] });
		const call = await refund(warden);
		expect(call.decision).toMatchObject({ action: 'hold', rule: 'bigRefund', reason: 'Hook says: ask.' });
		expect(call.decision.hooks).toEqual([{ name: 'bigRefund', result: 'hold', reason: 'Hook says: ask.' }]);
		expect(call.decision.contracts).toEqual([
			{ name: 'sessionHold', type: 'session_contract', passed: false, message: 'Session says: ask.', held: true },
		]);
		const request = await warden.approvals.get(call.decision.approval?.id as string);
		expect(Date.parse(request?.expiresAt as string) - Date.parse(request?.createdAt as string)).toBe(60_000);
	});

	it('observe mode records the hold as a would-deny (source approval), runs the call and creates nothing', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ mode: 'observe', contracts: [requireApproval('refund')], audit: sink });
		let ran = 0;
		await warden.run('refund', { amount: 900 }, () => ++ran);
		expect(ran).toBe(1);
		expect(sink.events.map((e) => e.action)).toEqual([AuditAction.CALL_WOULD_DENY, AuditAction.CALL_EXECUTED]);
		expect(sink.events[0]?.wouldDeny).toEqual([
			{ source: 'approval', rule: 'requireApproval', reason: expect.any(String) as string },
		]);
		expect(await warden.approvals.list()).toEqual([]);
	});

	it('an observe-mode requireApproval in an enforcing Warden never holds', async () => {
		const warden = new Warden({ contracts: [requireApproval('refund', { mode: 'observe' })] });
		const call = await refund(warden);
		expect(call.decision.action).toBe('allow');
		expect(call.decision.wouldDeny).toMatchObject([{ source: 'approval' }]);
	});

	it('requireApproval applies only where `when` says so', async () => {
		const warden = new Warden({
			contracts: [requireApproval('refund', { when: (call) => Number(call.args.amount) > 500 })],
		});
		expect((await refund(warden, 100)).decision.action).toBe('allow');
		expect((await refund(warden, 900)).decision.action).toBe('hold');
	});

	it('a hold counts no denial (no denial streak, no report denial)', async () => {
		const warden = new Warden({ contracts: [requireApproval('refund')] });
		await refund(warden);
		expect((await warden.report()).denied).toBe(0);
	});
});

describe('hold options', () => {
	it('reject invalid values', () => {
		expect(() => requireApproval('t', { ttlMs: 0 })).toThrow(/ttlMs must be a positive integer/);
		expect(() => requireApproval('t', { approvers: [] })).toThrow(/approvers must be a non-empty array/);
		expect(() => requireApproval('t', { ttlMs: 1.5 })).toThrow(/ttlMs/);
		expect(() => requireApproval('t', { message: '' })).toThrow(/message/);
		expect(() => requireApproval('t', { aprovers: ['x'] } as never)).toThrow(/aprovers/);
		expect(() => Verdict.hold('')).toThrow(TypeError);
		expect(() => HookDecision.hold('x', { ttlMs: -1 })).toThrow(TypeError);
		expect(() => new Warden({ approvals: { timeoutMs: 0 } })).toThrow(/timeoutMs/);
		expect(() => new Warden({ approvals: { handler: 'x' } as never })).toThrow(/handler/);
		expect(() => new Warden({ approvals: { handlr: () => 1 } } as never)).toThrow(/handlr/);
	});

	it('a contract whose Verdict.hold throws fails closed', async () => {
		const bad = precondition('refund', function badHold() {
			return Verdict.hold('x', { ttlMs: -5 });
		});
		const call = await refund(new Warden({ contracts: [bad] }));
		expect(call.decision).toMatchObject({ action: 'deny', source: 'policy_error', rule: 'badHold' });
	});
});
