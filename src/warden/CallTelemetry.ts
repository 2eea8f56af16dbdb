import {
	context,
	createNoopMeter,
	INVALID_SPAN_CONTEXT,
	ProxyTracer,
	ProxyTracerProvider,
	SpanKind,
	SpanStatusCode,
	trace,
	type Attributes,
	type Counter,
	type Histogram,
	type Meter,
	type Span,
	type SpanOptions,
	type Tracer,
} from '@opentelemetry/api';
import type { AuditAction } from '../audit/AuditAction.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { PostDecision, PreDecision } from '../decisions/decisions.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { errorMessage, errorName } from '../_internal/text.js';

/** A tool name's redacted form and the telemetry attributes made from it. */
interface ToolNames {
	readonly redacted: string;
	readonly span: string;
	/** The span options of the tool's calls (the tracer only reads them). */
	readonly options: SpanOptions;
	readonly byAction: Map<string, Attributes>;
	readonly byDecision: Map<string, Attributes>;
}

const MAX_NAMES = 1024;
const BY_ACTION = new Map<string, Attributes>();

/**
 * The tracer a `ProxyTracer` (what `trace.getTracer()` returns before an SDK is registered) resolves to now.
 * `_getTracer` is the proxy's own resolution (private in the typings, public at run time since API 1.0): where a
 * version lacks it, the answer is undefined and calls take the tracer's ordinary path.
 */
function resolvedTracer(proxy: ProxyTracer): Tracer | undefined {
	const resolve = (proxy as unknown as { _getTracer?: () => Tracer })._getTracer;
	return typeof resolve === 'function' ? resolve.call(proxy) : undefined;
}

/** The no-op tracer a proxy resolves to while no SDK is registered (a provider without a delegate answers it). */
const NOOP_TRACER = resolvedTracer(new ProxyTracer(new ProxyTracerProvider(), 'toolwarden'));

/**
 * The span of every call while no SDK is registered: the no-op tracer's spans record nothing and carry no context
 * of their own, so one shared span stands for all of them, and calls skip the tracer's context look-ups.
 */
const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The attributes cached under `key`, else made from `[key0, value0, key1, value1]` and cached (frozen). */
function cached(
	map: Map<string, Attributes>,
	key: string,
	k0: string,
	v0: string,
	k1?: string,
	v1?: string,
): Attributes {
	// Plain arguments instead of a factory closure: this runs three times per call.
	let found = map.get(key);
	if (found === undefined) {
		found = Object.freeze(k1 === undefined ? { [k0]: v0 } : { [k0]: v0, [k1]: v1 });
		map.set(key, found);
	}
	return found;
}

/**
 * Spans and metrics of governed calls, through `@opentelemetry/api` only (a no-op until the app registers an SDK).
 * One span per call, `execute_tool {toolName}`, kind INTERNAL, following the GenAI semantic conventions plus
 * `toolwarden.*` attributes; every string on it has passed redaction.
 */
export class CallTelemetry {
	readonly #tracer: Tracer;
	/** The tracer when it is a proxy that may still resolve to the no-op tracer (an SDK can register at any time). */
	readonly #proxy: ProxyTracer | undefined;
	readonly #redaction: RedactionPolicy;
	readonly #calls: Counter;
	readonly #duration: Histogram;
	readonly #names = new Map<string, ToolNames>();
	/**
	 * Whether the meter records anything. A meter is fixed when it is made (the metrics API has no proxy that an SDK
	 * registered later takes over), so a no-op meter's instruments are known once: calls then skip them and the
	 * attribute look-ups made only for them.
	 */
	readonly #metered: boolean;

	constructor(tracer: Tracer, meter: Meter, redaction: RedactionPolicy) {
		this.#tracer = tracer;
		this.#proxy = tracer instanceof ProxyTracer && NOOP_TRACER !== undefined ? tracer : undefined;
		this.#redaction = redaction;
		this.#calls = meter.createCounter('toolwarden.calls', {
			description: 'Governed tool calls, by audit action',
			unit: '{call}',
		});
		this.#duration = meter.createHistogram('toolwarden.governance.duration', {
			description: 'Time spent in the pre-execution pipeline',
			unit: 'ms',
		});
		const noop = createNoopMeter();
		this.#metered = this.#calls !== noop.createCounter('x') || this.#duration !== noop.createHistogram('x');
	}

	start(toolName: string): Span {
		// Without an SDK, the proxy resolves to the no-op tracer: asked each call, so an SDK registered later takes over.
		if (this.#proxy !== undefined && resolvedTracer(this.#proxy) === NOOP_TRACER) return NO_SPAN;
		const names = this.#namesOf(toolName);
		return this.#tracer.startSpan(names.span, names.options);
	}

	/**
	 * The redacted forms of a tool name and the attribute sets built from them, made once per name: tool names repeat
	 * on every call, and redacting them again each time is most of what telemetry costs without an SDK.
	 */
	#namesOf(toolName: string): ToolNames {
		let names = this.#names.get(toolName);
		if (names === undefined) {
			const redacted = this.#redaction.redactText(toolName);
			names = {
				redacted,
				span: `execute_tool ${redacted}`,
				options: Object.freeze({
					kind: SpanKind.INTERNAL,
					attributes: Object.freeze({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': redacted }),
				}),
				byAction: new Map(),
				byDecision: new Map(),
			};
			// Tool names come from the model: remember a bounded number of them.
			if (this.#names.size < MAX_NAMES) this.#names.set(toolName, names);
		}
		return names;
	}

	/** Records the pre-execution decision; ends the span when the tool will not run. */
	decided(
		span: Span,
		call: ToolEnvelope,
		decision: PreDecision,
		action: AuditAction,
		governanceMs: number,
		attempts: number,
		executions: number,
	): void {
		if (this.#metered) this.#measure(call.toolName, action, decision.action, governanceMs);
		if (span === NO_SPAN) return;
		if (span.isRecording()) {
			const attributes: Attributes = {
				'gen_ai.tool.call.id': this.#redaction.redactText(call.callId),
				'toolwarden.decision': decision.action,
				'toolwarden.mode': decision.mode,
				'toolwarden.side_effect': call.sideEffect,
				'toolwarden.session.id': this.#redaction.redactText(call.sessionId),
				'toolwarden.attempts': attempts,
				'toolwarden.executions': executions,
				'toolwarden.would_deny.count': decision.wouldDeny.length,
			};
			// Decision reasons are redacted when the decision is made.
			if (decision.source !== undefined) attributes['toolwarden.decision.source'] = decision.source;
			if (decision.rule !== undefined) attributes['toolwarden.decision.rule'] = decision.rule;
			if (decision.reason !== undefined) attributes['toolwarden.reason'] = decision.reason;
			const approvalId = decision.approvalId ?? decision.approval?.id;
			if (approvalId !== undefined) attributes['toolwarden.approval.id'] = approvalId;
			span.setAttributes(attributes);
		}
		if (decision.action === 'deny') {
			span.setAttribute('error.type', 'ToolCallDenied');
			span.setStatus({ code: SpanStatusCode.ERROR, message: decision.reason ?? 'denied' });
			span.end();
		} else if (decision.action === 'replay' || decision.action === 'hold') {
			span.end();
		}
	}

	#measure(toolName: string, action: AuditAction, outcome: PreDecision['action'], governanceMs: number): void {
		const names = this.#namesOf(toolName);
		this.#calls.add(1, cached(names.byAction, action, 'toolwarden.action', action, 'gen_ai.tool.name', names.redacted));
		const byDecision = cached(
			names.byDecision,
			outcome,
			'toolwarden.decision',
			outcome,
			'gen_ai.tool.name',
			names.redacted,
		);
		this.#duration.record(governanceMs, byDecision);
	}

	/** Runs `fn(arg)` with the call's span active, so the tool's own spans nest under it. */
	activate<T, R>(span: Span, fn: (arg: T) => R, arg: T): R {
		// Without an SDK the span carries no context worth propagating: skip the context switch.
		if (span === NO_SPAN) return fn(arg);
		const spanContext = span.spanContext();
		// The no-op tracer's spans all share the invalid context object: an identity check spares the validation.
		if (spanContext === INVALID_SPAN_CONTEXT || !trace.isSpanContextValid(spanContext)) return fn(arg);
		return context.with(trace.setSpan(context.active(), span), fn, undefined, arg);
	}

	/** Records how the run ended and ends the span. */
	finished(span: Span, post: PostDecision, action: AuditAction, error: unknown): void {
		if (this.#metered) this.#calls.add(1, cached(BY_ACTION, action, 'toolwarden.action', action));
		if (span === NO_SPAN) return;
		if (span.isRecording()) {
			span.setAttributes({
				'toolwarden.tool.success': post.ok,
				'toolwarden.postconditions.passed': post.postconditionsPassed,
				'toolwarden.warnings.count': post.warnings.length,
			});
			if (!post.ok) {
				const type = this.#redaction.redactText(errorName(error));
				span.setAttribute('error.type', type);
				span.recordException({ name: type, message: this.#redaction.redactText(errorMessage(error)) });
				span.setStatus({ code: SpanStatusCode.ERROR, message: this.#redaction.redactText(errorMessage(error)) });
			}
		}
		span.end();
	}
}
