import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
	AUDIT_SCHEMA_VERSION,
	AuditAction,
	ConsoleSink,
	JsonlFileSink,
	MemorySink,
	postcondition,
	precondition,
	Verdict,
	Warden,
	type AuditEvent,
	type AuditSink,
} from '../../src/index.js';

const actions = (sink: MemorySink) => sink.events.map((e) => e.action);

describe('audit event sequences (API §6)', () => {
	it('enforce, allowed: call_allowed then call_executed / call_failed', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink });
		await warden.run('t', {}, () => 1);
		await warden.run('t', {}, () => Promise.reject(new Error('x'))).catch(() => undefined);
		expect(actions(sink)).toEqual([
			AuditAction.CALL_ALLOWED,
			AuditAction.CALL_EXECUTED,
			AuditAction.CALL_ALLOWED,
			AuditAction.CALL_FAILED,
		]);
	});

	it('enforce, denied: call_denied only', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, contracts: [precondition('*', () => Verdict.fail('no'))] });
		await warden.run('t', {}, () => 1).catch(() => undefined);
		expect(actions(sink)).toEqual(['call_denied']);
	});

	it('nothing blocks but a rule fails: call_would_deny then the post event', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [precondition('*', () => Verdict.fail('would block'), { mode: 'observe' })],
		});
		await warden.run('t', {}, () => 1);
		await warden.run('t', {}, () => Promise.reject(new Error('x'))).catch(() => undefined);
		expect(actions(sink)).toEqual(['call_would_deny', 'call_executed', 'call_would_deny', 'call_failed']);
	});

	it('a failed postcondition adds one postcondition_warning after the post event', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [postcondition('*', () => Verdict.fail('first')), postcondition('*', () => Verdict.fail('second'))],
		});
		await warden.run('t', {}, () => 1);
		expect(actions(sink)).toEqual(['call_allowed', 'call_executed', 'postcondition_warning']);
		const warning = sink.events[2] as AuditEvent;
		expect(warning).toMatchObject({ postconditionsPassed: false, warnings: ['first', 'second'], reason: 'first' });
		expect(warning.contractsEvaluated).toHaveLength(2);
	});

	it('fills every field', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			environment: 'staging',
			sessionId: 'sess',
			tools: { lookup: { sideEffect: 'read' } },
			contracts: [precondition('lookup', () => Verdict.pass(), { name: 'ok' })],
		});
		await warden.run('lookup', { id: 7 }, () => ({ name: 'Ann' }), {
			callId: 'c-1',
			parentCallId: 'p-1',
			principal: { userId: 'u-1', role: 'agent' },
			metadata: { ticket: 'T-9' },
		});
		const [pre, post] = sink.events as [AuditEvent, AuditEvent];
		expect(pre).toMatchObject({
			schemaVersion: AUDIT_SCHEMA_VERSION,
			sessionId: 'sess',
			callId: 'c-1',
			callIndex: 1,
			parentCallId: 'p-1',
			toolName: 'lookup',
			toolArgs: { id: 7 },
			sideEffect: 'read',
			environment: 'staging',
			principal: { userId: 'u-1', role: 'agent' },
			mode: 'enforce',
			action: 'call_allowed',
			decisionSource: null,
			decisionRule: null,
			reason: null,
			hooksEvaluated: [],
			contractsEvaluated: [{ name: 'ok', type: 'precondition', passed: true }],
			wouldDeny: [],
			toolSuccess: null,
			postconditionsPassed: null,
			warnings: [],
			error: null,
			resultSummary: null,
			attempts: 1,
			executions: 1,
			metadata: { ticket: 'T-9' },
		});
		expect(post).toMatchObject({
			action: 'call_executed',
			toolSuccess: true,
			postconditionsPassed: true,
			resultSummary: '{"name":"Ann"}',
			executions: 1,
		});
		for (const event of [pre, post]) {
			expect(typeof event.durationMs).toBe('number');
			expect(event.durationMs).toBeGreaterThanOrEqual(0);
			expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
			expect(JSON.parse(JSON.stringify(event))).toEqual(event);
		}
		expect(post.durationMs).toBeGreaterThanOrEqual(pre.durationMs);
	});

	it('records the denying decision', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [
				precondition('*', () => Verdict.fail('Use the staging database.', { table: 'users' }), { name: 'noProd' }),
			],
		});
		await warden.run('t', {}, () => 1).catch(() => undefined);
		expect(sink.events[0]).toMatchObject({
			action: 'call_denied',
			decisionSource: 'precondition',
			decisionRule: 'noProd',
			reason: 'Use the staging database.',
			contractsEvaluated: [
				{ name: 'noProd', passed: false, message: 'Use the staging database.', metadata: { table: 'users' } },
			],
			executions: 0,
		});
	});

	it('builds no event at all without a sink', async () => {
		const warden = new Warden();
		await expect(warden.run('t', {}, () => 1)).resolves.toBe(1);
		expect(warden.auditStats).toEqual({ written: 0, failed: 0, pending: 0 });
	});
});

describe('redaction at write time', () => {
	it('redacts secret keys, secret values, principal claims, metadata, reasons, errors and results', async () => {
		const sink = new MemorySink();
		const secret = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
		const warden = new Warden({
			audit: sink,
			contracts: [postcondition('*', () => Verdict.fail(`Result leaked ${secret}`))],
		});
		const error = await warden
			.run(
				'http',
				{
					url: 'https://api.example.com',
					headers: { Authorization: 'Bearer abc.def.ghi123' },
					password: 'hunter2',
					note: `key is ${secret} ok`,
				},
				() => {
					throw new Error(`upstream rejected ${secret}`);
				},
				{ principal: { userId: 'u', claims: { access_token: 'tok-123456' } }, metadata: { apiKey: 'k-1' } },
			)
			.catch((e: unknown) => e);
		expect((error as Error).message).toContain(secret); // the tool's own error propagates unchanged
		await warden.run('http', { q: 1 }, () => ({ token: 'abc', body: `here ${secret}` }));
		const text = JSON.stringify(sink.events);
		expect(text).not.toContain(secret);
		expect(text).not.toContain('hunter2');
		expect(text).not.toContain('abc.def.ghi123');
		expect(text).not.toContain('tok-123456');
		expect(text).not.toContain('k-1');
		const failed = sink.events[1] as AuditEvent;
		expect(failed.toolArgs).toEqual({
			url: 'https://api.example.com',
			headers: { Authorization: '[REDACTED]' },
			password: '[REDACTED]',
			note: 'key is [REDACTED] ok',
		});
		expect(failed.error).toEqual({ type: 'Error', message: 'upstream rejected [REDACTED]' });
		expect(failed.principal).toEqual({ userId: 'u', claims: { access_token: '[REDACTED]' } });
		expect(failed.metadata).toEqual({ apiKey: '[REDACTED]' });
		expect(sink.events.at(-1)?.warnings).toEqual(['Result leaked [REDACTED]']);
	});

	it('never mutates the caller objects', async () => {
		const sink = new MemorySink();
		const args = { password: 'p', nested: { token: 't' } };
		await new Warden({ audit: sink }).run('t', args, () => 1);
		expect(args).toEqual({ password: 'p', nested: { token: 't' } });
	});

	it('caps every event at maxEventBytes (UTF-8) and marks truncation', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, redaction: { maxEventBytes: 4096 } });
		const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, '€'.repeat(200)]));
		await warden.run('t', wide, () => 'é'.repeat(100_000));
		for (const event of sink.events) {
			expect(Buffer.byteLength(JSON.stringify(event), 'utf8')).toBeLessThanOrEqual(4096);
			expect(event.truncated).toBe(true);
			expect(event.toolName).toBe('t');
		}
	});

	it('summarises a huge or cyclic result cheaply', async () => {
		const sink = new MemorySink();
		const cyclic: Record<string, unknown> = { a: 1 };
		cyclic['self'] = cyclic;
		const warden = new Warden({ audit: sink });
		await warden.run('t', {}, () => cyclic);
		await warden.run('t', {}, () => Array.from({ length: 1_000_000 }, (_, i) => i));
		expect(sink.events[1]?.resultSummary).toBe('{"a":1,"self":"[Circular]"}');
		expect(sink.events[3]?.resultSummary?.length).toBeLessThanOrEqual(1025);
	});
});

describe('sinks', () => {
	it('a throwing or rejecting sink never breaks the call; failures are counted and reported redacted', async () => {
		const reported: string[] = [];
		const throwing: AuditSink = {
			emit() {
				throw new Error('disk full; password=hunter2');
			},
		};
		const rejecting: AuditSink = { emit: () => Promise.reject(new Error('network')) };
		const good = new MemorySink();
		const warden = new Warden({
			audit: [throwing, rejecting, good],
			onAuditError: (error) => reported.push(error.message),
		});
		await expect(warden.run('t', {}, () => 'ok')).resolves.toBe('ok');
		await expect(warden.flush()).rejects.toThrow(
			'The audit trail lost events: 4 event(s) were not accepted by their sink (sink: disk full; password=[REDACTED]; sink: network)',
		);
		expect(good.events).toHaveLength(2);
		expect(warden.auditStats).toEqual({ written: 2, failed: 4, pending: 0 });
		expect(reported).toHaveLength(4);
		expect(reported.join()).not.toContain('hunter2');
		expect(reported[0]).toMatch(/Audit sink sink failed: Error: disk full/);
	});

	it('warns once through process warnings when no handler is set', async () => {
		const warnings: string[] = [];
		const listener = (w: Error) => warnings.push(w.message);
		process.on('warning', listener);
		try {
			const warden = new Warden({
				audit: {
					emit: () => {
						throw new Error('x');
					},
				},
			});
			await warden.run('t', {}, () => 1);
			await warden.run('t', {}, () => 1);
			await new Promise((resolve) => setImmediate(resolve));
		} finally {
			process.off('warning', listener);
		}
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/auditStats/);
	});

	it('ConsoleSink writes one JSON line per event to the given stream', async () => {
		const lines: string[] = [];
		const stream = new Writable({
			write(chunk: Buffer, _enc, done) {
				lines.push(chunk.toString());
				done();
			},
		});
		await new Warden({ audit: new ConsoleSink({ stream }) }).run('t', { a: 1 }, () => 1);
		expect(lines).toHaveLength(2);
		expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
		expect(JSON.parse(lines[0] as string)).toMatchObject({ action: 'call_allowed', toolArgs: { a: 1 } });
	});

	it('MemorySink keeps the most recent maxEvents', async () => {
		const sink = new MemorySink({ maxEvents: 3 });
		const warden = new Warden({ audit: sink });
		for (let i = 0; i < 5; i++) await warden.run('t', { i }, () => i);
		expect(sink.events.map((e) => (e.toolArgs as { i: number }).i)).toEqual([3, 4, 4]);
		expect(sink.ofAction('call_executed')).toHaveLength(2);
	});

	it('JsonlFileSink writes every event off the call path and loses none on close', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'tw-'));
		const path = join(dir, 'nested', 'audit.jsonl');
		const warden = new Warden({
			audit: new JsonlFileSink(path),
			limits: { maxToolCalls: Infinity, maxAttempts: Infinity },
		});
		await Promise.all(Array.from({ length: 2000 }, (_, i) => warden.run('t', { i }, () => i)));
		await warden.close();
		const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
		expect(lines).toHaveLength(4000);
		const executed = lines.map((l) => JSON.parse(l) as AuditEvent).filter((e) => e.action === 'call_executed');
		expect(new Set(executed.map((e) => (e.toolArgs as { i: number }).i)).size).toBe(2000);
	});

	it('JsonlFileSink reports a failed write through flush; after close calls are denied and the sink refuses events', async () => {
		const reported: string[] = [];
		const sink = new JsonlFileSink('/proc/definitely/not/writable.jsonl', { mkdir: false });
		const warden = new Warden({ audit: sink, onAuditError: (e) => reported.push(e.message) });
		await warden.run('t', {}, () => 1);
		await expect(warden.flush()).rejects.toThrow(/2 event\(s\) were not written: ENOENT/);
		expect(reported[0]).toMatch(/2 event\(s\) were not written: ENOENT/);
		await warden.close();
		// After close, nothing runs unaudited: the call is denied, and the sink refuses events.
		await expect(warden.run('t', {}, () => 1)).rejects.toMatchObject({
			source: 'audit_unavailable',
			rule: 'closed',
			reason: expect.stringMatching(/The Warden is closed/) as string,
		});
		expect(() => sink.emit({} as AuditEvent)).toThrow(/is closed; the event was not written/);
	});
});
