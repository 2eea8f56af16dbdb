import type { ApprovalStatus } from '../decisions/ApprovalRequest.js';
import { ToolWardenError } from './ToolWardenError.js';

/**
 * Resolving an approval request that can no longer be resolved: unknown, expired, consumed, or already approved or
 * denied (resolution is write-once, so of two approvers racing, one wins and the other gets this error).
 *
 * @example
 * ```ts
 * try {
 *   await warden.approvals.approve(id, { approver: 'alice' });
 * } catch (error) {
 *   if (error instanceof ApprovalConflictError) console.log(`already ${error.status}`);
 * }
 * ```
 */
export class ApprovalConflictError extends ToolWardenError {
	readonly approvalId: string;
	/** The request's status, or `unknown` when there is no such request. */
	readonly status: ApprovalStatus | 'unknown';

	constructor(approvalId: string, status: ApprovalStatus | 'unknown') {
		super(
			status === 'unknown'
				? `No approval request "${approvalId}" (unknown id, or forgotten after it expired).`
				: `Approval request "${approvalId}" is ${status}: it cannot be resolved again.`,
		);
		this.name = 'ApprovalConflictError';
		this.approvalId = approvalId;
		this.status = status;
	}
}
