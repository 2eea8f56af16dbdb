import type { Mode } from '../decisions/Mode.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { ContractRecord, DenialRecord, HookRecord, PostDecision, PreDecision } from '../decisions/decisions.js';
import type { CallParts, RedactionPolicy, SizeTally } from '../redaction/RedactionPolicy.js';
import { isoNow } from '../_internal/clock.js';
import { isOwnCallId } from '../_internal/ids.js';
import { errorMessage, errorName } from '../_internal/text.js';
import { AuditAction } from './AuditAction.js';
import { AUDIT_SCHEMA_VERSION, type AuditEvent } from './AuditEvent.js';
import { capEvent } from './capEvent.js';
import { summarize } from './summarize.js';

/** The redacted parts of a call shared by all its events: redacted once per call, not once per event. */
export interface RedactedCall {
	readonly base: Pick<
		AuditEvent,
		| 'sessionId'
		| 'callId'
		| 'callIndex'
		| 'parentCallId'
		| 'toolName'
		| 'toolArgs'
		| 'sideEffect'
		| 'environment'
		| 'principal'
		| 'mode'
		| 'metadata'
	>;
	/** Characters the redacted parts take, for the size bound. */
	readonly chars: number;
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Redacts what every event of a call shares. `args` are the raw args when the envelope could not be built (the
 * event shows what was sent), else the envelope's.
 */
export function redactCall(policy: RedactionPolicy, facts: ToolEnvelope, args: unknown, mode: Mode): RedactedCall {
	const tally: SizeTally = { chars: 0 };
	// `paths` name exact places, applied first; without any there is nothing to copy.
	const parts: CallParts = policy.hasPaths
		? policy.redactPaths({ args, principal: facts.principal, metadata: facts.metadata })
		: { args, principal: facts.principal, metadata: facts.metadata };
	const base = {
		sessionId: counted(policy, tally, facts.sessionId),
		// An id this process generated is known to hold nothing secret: skip scanning it.
		callId: isOwnCallId(facts.callId) ? ((tally.chars += 36), facts.callId) : counted(policy, tally, facts.callId),
		callIndex: facts.callIndex,
		parentCallId: facts.parentCallId === null ? null : counted(policy, tally, facts.parentCallId),
		toolName: counted(policy, tally, facts.toolName),
		toolArgs: policy.walk(parts.args, tally),
		sideEffect: facts.sideEffect,
		environment: counted(policy, tally, facts.environment),
		principal: parts.principal === null || parts.principal === undefined ? null : policy.walk(parts.principal, tally),
		mode,
		// Most calls carry no metadata: every event shares one frozen empty object.
		metadata: isEmpty(parts.metadata)
			? NO_METADATA
			: (policy.walk(parts.metadata, tally) as Readonly<Record<string, unknown>>),
	};
	return { base, chars: tally.chars };
}

const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

function isEmpty(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return false;
	for (const key in value) if (Object.hasOwn(value, key)) return false;
	return true;
}

/** `text` redacted, its length added to the tally. */
function counted(policy: RedactionPolicy, tally: SizeTally, text: string): string {
	const out = policy.redactText(text);
	tally.chars += out.length;
	return out;
}

/** Counters and timing of one event. */
export interface EventTiming {
	/** When the event happened, if already known (ISO 8601); else now. */
	readonly at?: string | undefined;
	readonly durationMs: number;
	readonly attempts: number;
	readonly executions: number;
}

const PRE_ACTION = {
	allow: AuditAction.CALL_ALLOWED,
	deny: AuditAction.CALL_DENIED,
	replay: AuditAction.CALL_REPLAYED,
	hold: AuditAction.CALL_HELD,
} as const;

/** The audit action of a pre-execution decision. */
export function preAction(decision: PreDecision): AuditAction {
	return decision.action === 'allow' && decision.wouldDeny.length > 0
		? AuditAction.CALL_WOULD_DENY
		: PRE_ACTION[decision.action];
}

/** The event of a pre-execution decision: `call_allowed`, `call_denied`, `call_would_deny` or `call_replayed`. */
export function preEvent(
	policy: RedactionPolicy,
	call: RedactedCall,
	decision: PreDecision,
	timing: EventTiming,
): AuditEvent {
	return finish(policy, call, {
		action: preAction(decision),
		decision,
		hooksEvaluated: decision.hooks,
		contractsEvaluated: decision.contracts,
		toolSuccess: null,
		postconditionsPassed: null,
		warnings: NONE,
		error: null,
		resultSummary: null,
		timing,
	});
}

/** The event of a finished run: `call_executed` or `call_failed`. */
export function postEvent(
	policy: RedactionPolicy,
	call: RedactedCall,
	pre: PreDecision,
	post: PostDecision,
	outcome: { result?: unknown; error?: unknown },
	timing: EventTiming,
): AuditEvent {
	return finish(policy, call, {
		action: post.ok ? AuditAction.CALL_EXECUTED : AuditAction.CALL_FAILED,
		decision: pre,
		hooksEvaluated: NONE,
		contractsEvaluated: post.contracts,
		toolSuccess: post.ok,
		postconditionsPassed: post.postconditionsPassed,
		warnings: post.warnings,
		error: post.ok
			? null
			: { type: policy.redactText(errorName(outcome.error)), message: policy.redactText(errorMessage(outcome.error)) },
		resultSummary: post.ok ? summarize(outcome.result, policy) : null,
		timing,
	});
}

/** The `postcondition_warning` that follows a post event whose postconditions failed. */
export function warningEvent(
	policy: RedactionPolicy,
	call: RedactedCall,
	pre: PreDecision,
	post: PostDecision,
	timing: EventTiming,
): AuditEvent {
	const failed = post.contracts.filter((record) => !record.passed);
	return finish(policy, call, {
		action: AuditAction.POSTCONDITION_WARNING,
		decision: pre,
		hooksEvaluated: NONE,
		contractsEvaluated: failed,
		toolSuccess: post.ok,
		postconditionsPassed: false,
		warnings: post.warnings,
		error: null,
		resultSummary: null,
		timing,
		reason: failed[0]?.message ?? null,
	});
}

interface EventParts {
	readonly action: AuditAction;
	readonly decision: PreDecision;
	readonly hooksEvaluated: readonly HookRecord[];
	readonly contractsEvaluated: readonly ContractRecord[];
	readonly toolSuccess: boolean | null;
	readonly postconditionsPassed: boolean | null;
	readonly warnings: readonly string[];
	readonly error: AuditEvent['error'];
	readonly resultSummary: string | null;
	readonly timing: EventTiming;
	readonly reason?: string | null;
}

function finish(policy: RedactionPolicy, call: RedactedCall, parts: EventParts): AuditEvent {
	const { decision, timing } = parts;
	const wouldDeny: readonly DenialRecord[] = decision.wouldDeny;
	const { base } = call;
	const event: AuditEvent = {
		schemaVersion: AUDIT_SCHEMA_VERSION,
		timestamp: timing.at ?? isoNow(),
		sessionId: base.sessionId,
		callId: base.callId,
		callIndex: base.callIndex,
		parentCallId: base.parentCallId,
		toolName: base.toolName,
		toolArgs: base.toolArgs,
		sideEffect: base.sideEffect,
		environment: base.environment,
		principal: base.principal,
		mode: base.mode,
		action: parts.action,
		decisionSource: decision.source ?? null,
		decisionRule: decision.rule ?? null,
		reason: parts.reason === undefined ? (decision.reason ?? null) : parts.reason,
		hooksEvaluated: parts.hooksEvaluated,
		contractsEvaluated: parts.contractsEvaluated,
		wouldDeny,
		toolSuccess: parts.toolSuccess,
		postconditionsPassed: parts.postconditionsPassed,
		warnings: parts.warnings,
		durationMs: Math.round(timing.durationMs * 1000) / 1000,
		error: parts.error,
		resultSummary: parts.resultSummary,
		attempts: timing.attempts,
		executions: timing.executions,
		metadata: base.metadata,
	};
	// Only calls touched by an approval carry the field: every other event keeps its exact shape.
	const approvalId = decision.approvalId ?? decision.approval?.id;
	if (approvalId !== undefined) (event as { approvalId?: string }).approvalId = approvalId;
	// Strings from rules and results are already redacted and capped; count them for the size bound.
	let chars =
		call.chars + (event.reason?.length ?? 0) + (event.resultSummary?.length ?? 0) + (event.error?.message.length ?? 0);
	for (const record of parts.contractsEvaluated)
		chars += record.name.length + (record.message?.length ?? 0) + (record.metadata === undefined ? 0 : 1024);
	for (const record of parts.hooksEvaluated) chars += record.name.length + (record.reason?.length ?? 0);
	for (const record of wouldDeny) chars += record.rule.length + record.reason.length;
	for (const warning of parts.warnings) chars += warning.length;
	chars += 96 * (parts.contractsEvaluated.length + parts.hooksEvaluated.length + wouldDeny.length);
	// A JSON character takes at most 6 UTF-8 bytes (`\u001f`); below the cap by that bound, no need to serialise.
	return 6 * chars + 1024 <= policy.maxEventBytes ? event : capEvent(event, policy.maxEventBytes);
}
