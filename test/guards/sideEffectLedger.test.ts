import { describe, expect, it } from 'vitest';
import { idempotencyKey, MemorySink, repeatGuard, sideEffectLedger, tool, Warden } from '../../src/index.js';

const tools = { refund: { sideEffect: 'irreversible' as const }, lookup: { sideEffect: 'read' as const } };

describe('sideEffectLedger', () => {
	it('a completed refund repeated with the same args is replayed, never executed twice', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ contracts: [sideEffectLedger()], tools, audit: sink });
		let refunds = 0;
		const refund = () => warden.run('refund', { orderId: 'A-1', amount: 40 }, () => (refunds++, { refundId: 're_1' }));
		await expect(refund()).resolves.toEqual({ refundId: 're_1' });
		await expect(refund()).resolves.toEqual({ refundId: 're_1' });
		expect(refunds).toBe(1);
		expect(sink.events.map((e) => e.action)).toEqual(['call_allowed', 'call_executed', 'call_replayed']);
		expect((await warden.report()).sideEffects).toEqual({ executed: 1, prevented: 1 });
	});

	it('the same tool with different args is allowed; read tools are not tracked', async () => {
		const warden = new Warden({ contracts: [sideEffectLedger()], tools });
		let refunds = 0;
		await warden.run('refund', { orderId: 'A-1' }, () => refunds++);
		await warden.run('refund', { orderId: 'A-2' }, () => refunds++);
		expect(refunds).toBe(2);
		for (let i = 0; i < 3; i++) await warden.run('lookup', { id: 1 }, () => refunds++);
		expect(refunds).toBe(5);
	});

	it('an unregistered tool (a poller) is never replayed and never counted as a prevented side effect', async () => {
		// The docs' guards example: job_status is not in the registry, so it is irreversible only by default.
		const warden = new Warden({ contracts: [sideEffectLedger(), repeatGuard({ pollTools: ['job_status'] })] });
		const states = ['queued', 'running', 'running', 'done'];
		const seen: unknown[] = [];
		for (const state of states) seen.push(await warden.run('job_status', { jobId: 'exp-1' }, () => ({ state })));
		expect(seen).toEqual(states.map((state) => ({ state })));
		const call = await warden.begin('job_status', { jobId: 'exp-1' });
		expect(call.envelope).toMatchObject({ sideEffect: 'irreversible', sideEffectDeclared: false });
		expect(call.decision.action).toBe('allow');
		await call.succeed({ state: 'done' });
		const report = await warden.report();
		expect(report.replayed).toBe(0);
		expect(report.sideEffects.prevented).toBe(0);
		expect(report.interventions).toEqual({});
	});

	it('declared side effects are replayed: by the registry, by @tool, and by classifyBash for shell tools', async () => {
		class Payments {
			runs = 0;
			@tool({ sideEffect: 'write' })
			async charge(_args: { id: string }) {
				return Promise.resolve({ charged: ++this.runs });
			}
		}
		const warden = new Warden({ contracts: [sideEffectLedger()] });
		const payments = warden.protect(new Payments());
		expect(await payments.charge({ id: 'c1' })).toEqual({ charged: 1 });
		expect(await payments.charge({ id: 'c1' })).toEqual({ charged: 1 });
		let shell = 0;
		await warden.run('Bash', { command: 'rm build.log' }, () => ++shell);
		await warden.run('Bash', { command: 'rm build.log' }, () => ++shell);
		expect(shell).toBe(1);
		// A read-only command is declared `read` by classifyBash: never replayed.
		await warden.run('Bash', { command: 'ls' }, () => ++shell);
		await warden.run('Bash', { command: 'ls' }, () => ++shell);
		expect(shell).toBe(3);
		expect((await warden.report()).sideEffects.prevented).toBe(2);
	});

	it('two identical refunds racing: exactly one runs', async () => {
		const warden = new Warden({ contracts: [sideEffectLedger()], tools });
		let refunds = 0;
		const slow = () => new Promise((resolve) => setTimeout(() => resolve((refunds++, 'done')), 20));
		const results = await Promise.allSettled([
			warden.run('refund', { orderId: 'A-1' }, slow),
			warden.run('refund', { orderId: 'A-1' }, slow),
		]);
		expect(refunds).toBe(1);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(String(rejected?.reason)).toMatch(/already in progress/);
	});

	it('an ambiguous run (timeout of a write) is denied until reconciled', async () => {
		const warden = new Warden({ contracts: [sideEffectLedger()], tools });
		const timeout = Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
		await expect(warden.run('refund', { orderId: 'A-1' }, () => Promise.reject(timeout))).rejects.toBe(timeout);
		const blocked = await warden.begin('refund', { orderId: 'A-1' });
		expect(blocked.allowed).toBe(false);
		expect(blocked.decision.reason).toMatch(/may have taken effect.*stays blocked until reconciled/);
		await warden.reconcile('refund', { orderId: 'A-1' }, { executed: true, result: { refundId: 're_9' } });
		await expect(warden.run('refund', { orderId: 'A-1' }, () => 'ran again')).resolves.toEqual({ refundId: 're_9' });
		await warden.run('refund', { orderId: 'B-1' }, () => Promise.reject(timeout)).catch(() => undefined);
		await warden.reconcile('refund', { orderId: 'B-1' }, { executed: false });
		await expect(warden.run('refund', { orderId: 'B-1' }, () => 'retried')).resolves.toBe('retried');
	});

	it('fail(error, { sideEffectExecuted: true }) marks it ambiguous; a plain failure allows a retry', async () => {
		const warden = new Warden({ contracts: [sideEffectLedger()], tools });
		const first = await warden.begin('refund', { orderId: 'C-1' });
		await first.fail(new Error('500 after commit'), { sideEffectExecuted: true });
		expect((await warden.begin('refund', { orderId: 'C-1' })).allowed).toBe(false);
		const other = await warden.begin('refund', { orderId: 'D-1' });
		await other.fail(new Error('400 bad request'));
		expect((await warden.begin('refund', { orderId: 'D-1' })).allowed).toBe(true);
	});

	it('a custom scope is shared across sessions', async () => {
		const warden = new Warden({
			contracts: [sideEffectLedger({ scope: (call) => `ticket:${String(call.metadata['ticket'])}` })],
			tools,
		});
		let refunds = 0;
		await warden.run('refund', { orderId: 'A-1' }, () => refunds++, {
			sessionId: 'chat-1',
			metadata: { ticket: 'T-7' },
		});
		await warden.run('refund', { orderId: 'A-1' }, () => refunds++, {
			sessionId: 'chat-2',
			metadata: { ticket: 'T-7' },
		});
		await warden.run('refund', { orderId: 'A-1' }, () => refunds++, {
			sessionId: 'chat-3',
			metadata: { ticket: 'T-8' },
		});
		expect(refunds).toBe(2);
	});

	it('a claim is released when a later step denies the call', async () => {
		const warden = new Warden({ contracts: [sideEffectLedger()], tools, limits: { maxCallsPerTool: { refund: 0 } } });
		await expect(warden.run('refund', { orderId: 'A-1' }, () => 1)).rejects.toMatchObject({ source: 'tool_limit' });
		const again = new Warden({ contracts: [sideEffectLedger()], tools });
		expect((await again.begin('refund', { orderId: 'A-1' })).allowed).toBe(true);
	});

	it('a scope function that throws fails closed', async () => {
		const warden = new Warden({
			contracts: [
				sideEffectLedger({
					scope: () => {
						throw new Error('no ticket');
					},
				}),
			],
			tools,
		});
		await expect(warden.run('refund', {}, () => 1)).rejects.toMatchObject({
			source: 'policy_error',
			rule: 'sideEffectLedger',
		});
	});

	it('gives tools a deterministic idempotency key', () => {
		expect(idempotencyKey('refund', { a: 1, b: 2 })).toBe(idempotencyKey('refund', { b: 2, a: 1 }));
		expect(idempotencyKey('refund', { a: 1 })).not.toBe(idempotencyKey('refund', { a: 2 }));
		expect(idempotencyKey('refund', { a: 1 }, 'T-1')).not.toBe(idempotencyKey('refund', { a: 1 }, 'T-2'));
		expect(idempotencyKey('refund', { a: 1 })).toMatch(/^[0-9a-f]{32}$/);
	});
});
