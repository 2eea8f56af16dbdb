import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
	AggregationTemporality,
	InMemoryMetricExporter,
	MeterProvider,
	PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postcondition, precondition, Verdict, Warden } from '../../src/index.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
	contextManager.enable();
	context.setGlobalContextManager(contextManager);
});
afterAll(() => {
	context.disable();
});
beforeEach(() => exporter.reset());

const SECRET = 'sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa';
const spans = () => exporter.getFinishedSpans();

describe('OpenTelemetry spans', () => {
	it('one INTERNAL span per call, named execute_tool {tool}, with GenAI and toolwarden attributes', async () => {
		const warden = new Warden({ tracer, sessionId: 'sess-1', tools: { lookup: { sideEffect: 'read' } } });
		await warden.run('lookup', { id: 1 }, () => 'ok', { callId: 'call-1' });
		const [span] = spans();
		expect(spans()).toHaveLength(1);
		expect(span?.name).toBe('execute_tool lookup');
		expect(span?.kind).toBe(0); // SpanKind.INTERNAL
		expect(span?.attributes).toMatchObject({
			'gen_ai.operation.name': 'execute_tool',
			'gen_ai.tool.name': 'lookup',
			'gen_ai.tool.call.id': 'call-1',
			'toolwarden.decision': 'allow',
			'toolwarden.mode': 'enforce',
			'toolwarden.side_effect': 'read',
			'toolwarden.session.id': 'sess-1',
			'toolwarden.attempts': 1,
			'toolwarden.executions': 1,
			'toolwarden.tool.success': true,
		});
		expect(span?.status.code).toBe(SpanStatusCode.UNSET);
	});

	it('the default tracer: no span without an SDK, spans from the call after one is registered', async () => {
		const warden = new Warden();
		await warden.run('before_sdk', {}, () => 'ok');
		expect(spans()).toHaveLength(0);
		trace.setGlobalTracerProvider(provider);
		try {
			await warden.run('after_sdk', {}, () => {
				// The call's span is active while the tool runs, as with a tracer passed in the options.
				expect(trace.getActiveSpan()?.isRecording()).toBe(true);
				return 'ok';
			});
			expect(spans().map((s) => s.name)).toEqual(['execute_tool after_sdk']);
		} finally {
			trace.disable();
		}
	});

	it('is active while the tool runs, so the tool spans nest under it', async () => {
		const warden = new Warden({ tracer });
		await warden.run('outer', {}, async () => {
			await new Promise((resolve) => setImmediate(resolve));
			tracer.startSpan('inner work').end();
		});
		const inner = spans().find((s) => s.name === 'inner work');
		const outer = spans().find((s) => s.name === 'execute_tool outer');
		expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
		expect(trace.getActiveSpan()).toBeUndefined();
	});

	it('a denial: ERROR status, error.type ToolCallDenied, redacted reason', async () => {
		const warden = new Warden({
			tracer,
			contracts: [precondition('*', () => Verdict.fail(`Key ${SECRET} is revoked.`), { name: 'revoked' })],
		});
		await warden.run('t', {}, () => 1).catch(() => undefined);
		const [span] = spans();
		expect(span?.status.code).toBe(SpanStatusCode.ERROR);
		expect(span?.attributes).toMatchObject({
			'error.type': 'ToolCallDenied',
			'toolwarden.decision': 'deny',
			'toolwarden.decision.source': 'precondition',
			'toolwarden.decision.rule': 'revoked',
		});
		expect(span?.attributes['toolwarden.reason']).toBe('Key [REDACTED] is revoked.');
	});

	it('a tool failure: ERROR status, error.type from the error name, exception recorded redacted', async () => {
		const warden = new Warden({ tracer });
		class UpstreamError extends Error {
			override name = 'UpstreamError';
		}
		await warden
			.run('t', {}, () => {
				throw new UpstreamError(`rejected ${SECRET}`);
			})
			.catch(() => undefined);
		const [span] = spans();
		expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'rejected [REDACTED]' });
		expect(span?.attributes['error.type']).toBe('UpstreamError');
		expect(span?.events[0]?.attributes).toMatchObject({
			'exception.type': 'UpstreamError',
			'exception.message': 'rejected [REDACTED]',
		});
	});

	it('no raw secret ever reaches a span, whatever carries it', async () => {
		const warden = new Warden({
			tracer,
			mode: 'observe',
			contracts: [
				precondition('*', () => Verdict.fail(`bad ${SECRET}`)),
				postcondition('*', () => Verdict.fail(`post ${SECRET}`)),
			],
		});
		await warden.run(`tool`, { token: SECRET, note: SECRET }, () => SECRET, {
			callId: `id-${SECRET}`,
			sessionId: `s-${SECRET}`,
		});
		await warden
			.run('tool', {}, () => {
				throw new Error(SECRET);
			})
			.catch(() => undefined);
		expect(spans()).toHaveLength(2);
		expect(
			JSON.stringify(
				spans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
			),
		).not.toContain(SECRET);
	});

	it('GovernedCall.withSpan makes the span active for adapters', async () => {
		const warden = new Warden({ tracer });
		const call = await warden.begin('adapter_tool', {});
		call.withSpan(() => tracer.startSpan('framework tool').end());
		await call.succeed('done');
		const child = spans().find((s) => s.name === 'framework tool');
		expect(child?.parentSpanContext?.spanId).toBe(
			spans()
				.find((s) => s.name === 'execute_tool adapter_tool')
				?.spanContext().spanId,
		);
	});
});

describe('OpenTelemetry metrics', () => {
	it('counts calls by audit action and records governance time', async () => {
		const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
		const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
		const meterProvider = new MeterProvider({ readers: [reader] });
		const warden = new Warden({
			meter: meterProvider.getMeter('test'),
			contracts: [precondition('bad', () => Verdict.fail('no'))],
		});
		await warden.run('ok', {}, () => 1);
		await warden.run('bad', {}, () => 1).catch(() => undefined);
		const { resourceMetrics } = await reader.collect();
		const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
		const calls = metrics.find((m) => m.descriptor.name === 'toolwarden.calls');
		const byAction = Object.fromEntries(
			(calls?.dataPoints ?? []).map((p) => [String(p.attributes['toolwarden.action']), p.value]),
		);
		expect(byAction).toEqual({ call_allowed: 1, call_executed: 1, call_denied: 1 });
		const duration = metrics.find((m) => m.descriptor.name === 'toolwarden.governance.duration');
		expect(duration?.descriptor.unit).toBe('ms');
		expect(duration?.dataPoints.length).toBeGreaterThan(0);
		await meterProvider.shutdown();
	});
});
