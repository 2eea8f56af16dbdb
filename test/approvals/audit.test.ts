import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { AuditAction, JsonlFileSink, requireApproval, verifyAuditLog, Warden } from '../../src/index.js';

describe('approval audit and telemetry', () => {
	it('approval events join the hash chain like any event', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'tw-approvals-')), 'audit.jsonl');
		const warden = new Warden({
			contracts: [
				requireApproval('refund', { when: (call) => call.args['a'] !== 3 }),
				requireApproval('refund', { when: (call) => call.args['a'] === 3, ttlMs: 20, name: 'quick' }),
			],
			audit: new JsonlFileSink(path, { hashChain: true }),
		});
		const first = await warden.begin('refund', { a: 1 });
		await warden.approvals.approve(first.decision.approval?.id as string, { approver: 'sup' });
		await warden.run('refund', { a: 1 }, () => 1);
		const second = await warden.begin('refund', { a: 2 });
		await warden.approvals.deny(second.decision.approval?.id as string, { approver: 'sup', reason: 'no' });
		await warden.begin('refund', { a: 3 });
		await new Promise((resolve) => setTimeout(resolve, 30));
		await warden.approvals.list();
		await warden.close();
		const result = await verifyAuditLog([path]);
		expect(result.ok).toBe(true);
		expect(result.count).toBeGreaterThanOrEqual(8);
		const { readFileSync } = await import('node:fs');
		const actions = readFileSync(path, 'utf8')
			.trim()
			.split('\n')
			.map((line) => (JSON.parse(line) as { action?: string }).action);
		for (const action of [
			AuditAction.CALL_HELD,
			AuditAction.APPROVAL_GRANTED,
			AuditAction.APPROVAL_DENIED,
			AuditAction.APPROVAL_EXPIRED,
		])
			expect(actions).toContain(action);
	});

	it('the span of a held call carries the hold and ends; the span of the granted run carries the approval id', async () => {
		const exporter = new InMemorySpanExporter();
		const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t');
		const warden = new Warden({ tracer, contracts: [requireApproval('refund')] });
		const held = await warden.begin('refund', {});
		const id = held.decision.approval?.id as string;
		const [span] = exporter.getFinishedSpans();
		expect(span?.attributes).toMatchObject({
			'toolwarden.decision': 'hold',
			'toolwarden.decision.source': 'approval',
			'toolwarden.approval.id': id,
		});
		await warden.approvals.approve(id, { approver: 'sup' });
		await warden.run('refund', {}, () => 1);
		expect(exporter.getFinishedSpans()[1]?.attributes).toMatchObject({
			'toolwarden.decision': 'allow',
			'toolwarden.approval.id': id,
		});
	});
});
