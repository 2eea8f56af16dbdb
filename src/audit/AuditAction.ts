/**
 * What an audit event records. One call produces, in order:
 * - enforce, allowed: `call_allowed`, then `call_executed` or `call_failed`;
 * - enforce, denied: `call_denied` only;
 * - replayed by a behaviour guard: `call_replayed` only;
 * - a rule failed but nothing blocked (observe mode, observe-mode contracts): `call_would_deny`, then
 *   `call_executed` or `call_failed`;
 * - a post event whose postconditions failed is followed by one `postcondition_warning`;
 * - held for a person's approval: `call_held` only (the retry that runs after approval is a call of its own).
 * A request's resolution is an event of its own: `approval_granted`, `approval_denied`, `approval_expired`.
 */
export const AuditAction = Object.freeze({
	CALL_ALLOWED: 'call_allowed',
	CALL_DENIED: 'call_denied',
	CALL_WOULD_DENY: 'call_would_deny',
	CALL_EXECUTED: 'call_executed',
	CALL_FAILED: 'call_failed',
	CALL_REPLAYED: 'call_replayed',
	POSTCONDITION_WARNING: 'postcondition_warning',
	CALL_HELD: 'call_held',
	APPROVAL_GRANTED: 'approval_granted',
	APPROVAL_DENIED: 'approval_denied',
	APPROVAL_EXPIRED: 'approval_expired',
} as const);

/** One of the {@link AuditAction} values. */
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
