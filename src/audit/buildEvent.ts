import type { Mode } from '../decisions/Mode.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { NO_METADATA } from '../envelope/createEnvelope.js';
import type { ContractRecord, DenialRecord, HookRecord, PostDecision, PreDecision } from '../decisions/decisions.js';
import type { RedactionPolicy, SizeTally } from '../redaction/RedactionPolicy.js';
import { isoNow } from '../_internal/clock.js';
import { isOwnCallId } from '../_internal/ids.js';
import { errorMessage, errorName } from '../_internal/text.js';
import { AuditAction } from './AuditAction.js';
import { AUDIT_SCHEMA_VERSION, type AuditEvent } from './AuditEvent.js';
import { capEvent } from './capEvent.js';
import { summarize } from './summarize.js';

/** The redacted parts of a call shared by all its events: redacted once per call, not once per event. */
export interface RedactedCall extends Pick<
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
> {
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
	let { principal, metadata } = facts;
	// `paths` name exact places, applied first; without any there is nothing to copy.
	if (policy.hasPaths)
		({ args, principal, metadata } = policy.redactPaths({ args, principal, metadata }) as typeof facts);
	const sessionId = counted(policy, tally, facts.sessionId);
	// An id this process generated is known to hold nothing secret: skip scanning it.
	const callId = isOwnCallId(facts.callId) ? facts.callId : policy.redactText(facts.callId);
	const parentCallId = facts.parentCallId === null ? null : counted(policy, tally, facts.parentCallId);
	const toolName = counted(policy, tally, facts.toolName);
	const toolArgs = policy.walk(args, tally);
	const environment = counted(policy, tally, facts.environment);
	return {
		sessionId,
		callId,
		callIndex: facts.callIndex,
		parentCallId,
		toolName,
		toolArgs,
		sideEffect: facts.sideEffect,
		environment,
		principal: principal === null || principal === undefined ? null : policy.walk(principal, tally),
		mode,
		// Most calls carry no metadata: their events share the envelope's frozen empty object.
		metadata: metadata === NO_METADATA ? metadata : (policy.walk(metadata, tally) as Readonly<Record<string, unknown>>),
		chars: tally.chars + callId.length,
	};
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
	return finish(policy, call, decision, preAction(decision), timing, undefined, null, null, undefined);
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
	const error = post.ok
		? null
		: { type: policy.redactText(errorName(outcome.error)), message: policy.redactText(errorMessage(outcome.error)) };
	const action = post.ok ? AuditAction.CALL_EXECUTED : AuditAction.CALL_FAILED;
	const summary = post.ok ? summarize(outcome.result, policy) : null;
	return finish(policy, call, pre, action, timing, post, error, summary, undefined);
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
	return finish(policy, call, pre, AuditAction.POSTCONDITION_WARNING, timing, post, null, null, failed);
}

/**
 * One event. Positional rather than a parts object: two events per call, and this is the whole of their assembly.
 * `post` is the run's outcome (post events); `failed`, the failed postconditions of a `postcondition_warning`.
 */
function finish(
	policy: RedactionPolicy,
	call: RedactedCall,
	decision: PreDecision,
	action: AuditAction,
	timing: EventTiming,
	post: PostDecision | undefined,
	error: AuditEvent['error'],
	resultSummary: string | null,
	failed: readonly ContractRecord[] | undefined,
): AuditEvent {
	const wouldDeny: readonly DenialRecord[] = decision.wouldDeny;
	const hooksEvaluated: readonly HookRecord[] = post === undefined ? decision.hooks : NONE;
	const contractsEvaluated = failed ?? (post === undefined ? decision.contracts : post.contracts);
	const warnings = post === undefined ? NONE : post.warnings;
	const base = call;
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
		action,
		decisionSource: decision.source ?? null,
		decisionRule: decision.rule ?? null,
		reason: failed === undefined ? (decision.reason ?? null) : (failed[0]?.message ?? null),
		hooksEvaluated,
		contractsEvaluated,
		wouldDeny,
		toolSuccess: post === undefined ? null : post.ok,
		postconditionsPassed: post === undefined ? null : failed === undefined ? post.postconditionsPassed : false,
		warnings,
		durationMs: Math.round(timing.durationMs * 1000) / 1000,
		error,
		resultSummary,
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
	// Indexed loops: this runs twice per call, and an iterator per loop would be most of what it allocates.
	for (let i = 0; i < contractsEvaluated.length; i++) {
		const record = contractsEvaluated[i] as ContractRecord;
		chars += record.name.length + (record.message?.length ?? 0) + (record.metadata === undefined ? 0 : 1024);
	}
	for (let i = 0; i < hooksEvaluated.length; i++) {
		const record = hooksEvaluated[i] as HookRecord;
		chars += record.name.length + (record.reason?.length ?? 0);
	}
	for (let i = 0; i < wouldDeny.length; i++) {
		const record = wouldDeny[i] as DenialRecord;
		chars += record.rule.length + record.reason.length;
	}
	for (let i = 0; i < warnings.length; i++) chars += (warnings[i] as string).length;
	chars += 96 * (contractsEvaluated.length + hooksEvaluated.length + wouldDeny.length);
	// A JSON character takes at most 6 UTF-8 bytes (`\u001f`); below the cap by that bound, no need to serialise.
	return 6 * chars + 1024 <= policy.maxEventBytes ? event : capEvent(event, policy.maxEventBytes);
}
