import { describe, expect, it } from 'vitest';
import {
	MemorySink,
	precondition,
	ToolCallDenied,
	ToolWardenError,
	Verdict,
	Warden,
	type StorageBackend,
} from '../../src/index.js';

describe('warden.run', () => {
	it('runs fn on the frozen envelope args, not the caller object', async () => {
		const warden = new Warden();
		const args = { list: [1, 2] };
		const received = await warden.run('t', args, (frozen) => frozen);
		expect(received).not.toBe(args);
		expect(received).toEqual(args);
		expect(Object.isFrozen(received)).toBe(true);
		expect(Object.isFrozen(received.list)).toBe(true);
	});

	it('a throwing fn propagates its own error object unchanged, after call_failed is audited', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink });
		const error = new TypeError('tool broke');
		const thrown = await warden
			.run('t', {}, () => {
				throw error;
			})
			.catch((e: unknown) => e);
		expect(thrown).toBe(error);
		expect(sink.events.map((e) => e.action)).toEqual(['call_allowed', 'call_failed']);
		expect(sink.events[1]?.error).toEqual({ type: 'TypeError', message: 'tool broke' });
		// A thrown non-Error value propagates unchanged too.
		// eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a tool may reject with anything
		await expect(warden.run('t', {}, () => Promise.reject('plain string'))).rejects.toBe('plain string');
	});

	it('denies invalid args with source invalid_input (in observe mode too) and never runs fn', async () => {
		const sink = new MemorySink();
		for (const mode of ['enforce', 'observe'] as const) {
			const warden = new Warden({ mode, audit: sink });
			const cyclic: Record<string, unknown> = {};
			cyclic['self'] = cyclic;
			let ran = false;
			const error = (await warden.run('t', cyclic, () => (ran = true)).catch((e: unknown) => e)) as ToolCallDenied;
			expect(ran).toBe(false);
			expect(error).toBeInstanceOf(ToolCallDenied);
			expect(error).toMatchObject({ source: 'invalid_input', rule: 'envelope', toolName: 't' });
			expect(error.reason).toMatch(/circular reference.*Send the arguments as plain JSON data/);
		}
		// The audit event still shows what was sent, safely.
		expect(sink.events.map((e) => e.action)).toEqual(['call_denied', 'call_denied']);
		expect(sink.events[0]?.toolArgs).toEqual({ self: '[Circular]' });
	});

	it.each([
		[
			'a throwing getter',
			{
				get x(): never {
					throw new Error('sk-ant-api03-SHOULDNOTLEAK0123456789abcdef');
				},
			},
		],
		['BigInt inside a Map', { m: new Map([[1n, 2n]]) }],
		['a symbol key', { [Symbol('s')]: 1 }],
	])('denies %s cleanly and leaks nothing into the reason', async (_label, args) => {
		const warden = new Warden();
		const error = (await warden.run('t', args, () => 1).catch((e: unknown) => e)) as ToolCallDenied;
		expect(error.source).toBe('invalid_input');
		expect(error.reason).not.toMatch(/SHOULDNOTLEAK/);
	});

	it('a governed method called with a non-object is denied as invalid input', async () => {
		const warden = new Warden();
		for (const bad of [null, 'path', 42, [1]]) {
			await expect(warden.run('t', bad as never, () => 1)).rejects.toMatchObject({ source: 'invalid_input' });
		}
	});

	it('handles a 10 MB string argument without choking, and caps it in the audit event', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink });
		const big = 'a'.repeat(10 * 1024 * 1024);
		const started = performance.now();
		await expect(warden.run('t', { big }, (a) => a.big.length)).resolves.toBe(big.length);
		expect(performance.now() - started).toBeLessThan(2000);
		for (const event of sink.events) expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(32 * 1024);
	});

	it('rejects unknown call options', async () => {
		await expect(new Warden().run('t', {}, () => 1, { sessionID: 'x' } as never)).rejects.toThrow(
			/Unknown option "sessionID" in CallOptions. Did you mean "sessionId"/,
		);
	});

	it('a denial carries its decision, not stack frames; the stack trace limit is left as it was', async () => {
		const warden = new Warden({ contracts: [precondition('t', () => Verdict.fail('Not this one.'), { name: 'no' })] });
		const original = Error.stackTraceLimit;
		Error.stackTraceLimit = 7;
		try {
			const error = await warden.run('t', {}, () => 1).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ToolCallDenied);
			expect((error as ToolCallDenied).stack).toBe('ToolCallDenied: Not this one.');
			expect(error).toMatchObject({ rule: 'no', source: 'precondition', decision: { action: 'deny' } });
			expect(Error.stackTraceLimit).toBe(7);
			expect(new Error('other').stack).toMatch(/\n\s+at /);
		} finally {
			Error.stackTraceLimit = original;
		}
	});

	it('requires fn to be a function', async () => {
		await expect(new Warden().run('t', {}, undefined as never)).rejects.toThrow(TypeError);
	});

	it('passes principal, callId, parentCallId, environment and metadata into the envelope', async () => {
		const warden = new Warden({ environment: 'staging' });
		await warden.run('t', {}, () => 1, {
			callId: 'call-1',
			parentCallId: 'parent',
			principal: { userId: 'u', role: 'agent' },
			metadata: { ticket: 'T-1' },
		});
		const call = await warden.begin('t', {}, { environment: 'prod-eu', callId: 'call-2' });
		expect(call.envelope).toMatchObject({
			environment: 'prod-eu',
			callId: 'call-2',
			sessionId: warden.sessionId,
			callIndex: 2,
		});
		const first = await warden.begin(
			't',
			{},
			{ callId: 'c3', principal: { userId: 'u' }, metadata: { ticket: 'T-1' }, parentCallId: 'p' },
		);
		expect(first.envelope).toMatchObject({
			callId: 'c3',
			principal: { userId: 'u' },
			metadata: { ticket: 'T-1' },
			parentCallId: 'p',
			environment: 'staging',
		});
	});
});

describe('warden.wrap', () => {
	it('returns a governed function', async () => {
		const warden = new Warden({
			contracts: [precondition('send', (c) => (c.args['to'] === 'evil' ? Verdict.fail('No.') : Verdict.pass()))],
		});
		const send = warden.wrap('send', (args: { to: string }) => `sent to ${args.to}`);
		await expect(send({ to: 'ann' })).resolves.toBe('sent to ann');
		await expect(send({ to: 'evil' })).rejects.toBeInstanceOf(ToolCallDenied);
		expect(() => warden.wrap('x', 'nope' as never)).toThrow(TypeError);
	});
});

describe('warden.begin (two-phase)', () => {
	it('exposes envelope, decision and allowed; succeed/fail exactly once', async () => {
		const warden = new Warden();
		const call = await warden.begin('t', { a: 1 });
		expect(call.allowed).toBe(true);
		expect(call.replayed).toBe(false);
		expect(call.decision).toMatchObject({ action: 'allow', mode: 'enforce', wouldDeny: [] });
		await expect(call.succeed('r')).resolves.toMatchObject({ ok: true });
		await expect(call.succeed('r')).rejects.toThrow(/already complete: call succeed\(\) or fail\(\) exactly once/);
		await expect(call.fail(new Error())).rejects.toBeInstanceOf(ToolWardenError);
	});

	it('a denied call cannot be completed', async () => {
		const warden = new Warden({ limits: { maxToolCalls: 0 } });
		const call = await warden.begin('t', {});
		expect(call.allowed).toBe(false);
		expect(call.decision.action).toBe('deny');
		await expect(call.succeed(1)).rejects.toThrow(/it was denied, so the tool must not run/);
	});

	it('marks a timeout of a write/irreversible tool as a possible side effect', async () => {
		const warden = new Warden({ tools: { fetch: { sideEffect: 'read' } } });
		const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
		const write = await warden.begin('pay', {});
		await expect(write.fail(timeout)).resolves.toMatchObject({ ok: false });
		const read = await warden.begin('fetch', {});
		await expect(read.fail(timeout, { sideEffectExecuted: false })).resolves.toMatchObject({ ok: false });
	});
});

describe('storage failures fail closed', () => {
	const broken = (): StorageBackend => ({
		beginAttempt: () => Promise.reject(new Error('ECONNREFUSED redis://:hunter2secret@10.0.0.1')),
		reserveExecution: () => Promise.reject(new Error('down')),
		recordOutcome: () => 0,
		haltSession: () => undefined,
		resetSession: () => undefined,
		totals: () => Promise.reject(new Error('down')),
		update: () => Promise.reject(new Error('down')),
		read: () => Promise.reject(new Error('down')),
	});

	it('denies with storage_unavailable and redacts the store error', async () => {
		const warden = new Warden({ storage: broken() });
		const error = (await warden.run('t', {}, () => 1).catch((e: unknown) => e)) as ToolCallDenied;
		expect(error).toMatchObject({ source: 'storage_unavailable', rule: 'storage' });
		expect(error.reason).not.toMatch(/hunter2secret/);
		expect(error.reason).toMatch(/\[REDACTED\]/);
	});

	it('a reservation failure denies too', async () => {
		const storage = broken();
		storage.beginAttempt = () => ({
			attempts: 1,
			executions: 0,
			consecutiveFailures: 0,
			consecutiveDenials: 0,
			halted: null,
			toolExecutions: {},
		});
		await expect(new Warden({ storage }).run('t', {}, () => 1)).rejects.toMatchObject({
			source: 'storage_unavailable',
		});
	});

	it('observe mode records it and does not block', async () => {
		const call = await new Warden({ storage: broken(), mode: 'observe' }).begin('t', {});
		expect(call.allowed).toBe(true);
		expect(call.decision.wouldDeny[0]?.source).toBe('storage_unavailable');
	});
});

describe('store down and invalid args together', () => {
	it('reports the invalid args (the actionable reason), not the store', async () => {
		const storage = new (await import('../../src/index.js')).MemoryStorage();
		storage.beginAttempt = () => {
			throw new Error('store down');
		};
		const cyclic: Record<string, unknown> = {};
		cyclic['self'] = cyclic;
		await expect(new Warden({ storage }).run('t', cyclic, () => 1)).rejects.toMatchObject({ source: 'invalid_input' });
		await expect(new Warden({ storage }).run('t', {}, () => 1)).rejects.toMatchObject({
			source: 'storage_unavailable',
		});
	});
});
