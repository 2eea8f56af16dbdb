import { AuditAction } from '../audit/AuditAction.js';
import { AUDIT_SCHEMA_VERSION, type AuditEvent } from '../audit/AuditEvent.js';
import { capEvent } from '../audit/capEvent.js';
import type { Mode } from '../decisions/Mode.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { isoNow } from '../_internal/clock.js';
import type { ApprovalRequest } from '../decisions/ApprovalRequest.js';

type ResolutionAction =
	typeof AuditAction.APPROVAL_GRANTED | typeof AuditAction.APPROVAL_DENIED | typeof AuditAction.APPROVAL_EXPIRED;

const NONE: readonly never[] = Object.freeze([]);
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The audit event of a request's resolution (`approval_granted`, `approval_denied`) or expiry (`approval_expired`).
 * It describes the call the request was opened for (its args and principal were redacted when the request was
 * stored); `reason` is the approver's note or reason, or the request's message.
 */
export function approvalEvent(
	policy: RedactionPolicy,
	mode: Mode,
	action: ResolutionAction,
	request: ApprovalRequest,
): AuditEvent {
	const reason = request.reason ?? request.note ?? request.message;
	const event: AuditEvent = {
		schemaVersion: AUDIT_SCHEMA_VERSION,
		timestamp: isoNow(),
		sessionId: request.sessionId,
		callId: request.callId,
		callIndex: 0,
		parentCallId: null,
		toolName: request.toolName,
		toolArgs: request.args,
		sideEffect: request.sideEffect,
		environment: request.environment,
		principal: request.principal,
		mode,
		action,
		decisionSource: 'approval',
		decisionRule: request.rule,
		reason: policy.redactText(reason),
		hooksEvaluated: NONE,
		contractsEvaluated: NONE,
		wouldDeny: NONE,
		toolSuccess: null,
		postconditionsPassed: null,
		warnings: NONE,
		durationMs: 0,
		error: null,
		resultSummary: null,
		attempts: 0,
		executions: 0,
		metadata: request.metadata ?? NO_METADATA,
		approvalId: request.id,
		...(request.approver === undefined || action === AuditAction.APPROVAL_EXPIRED
			? {}
			: { approver: request.approver }),
	};
	return capEvent(event, policy.maxEventBytes);
}
