import type { ApprovalInfo } from '../decisions/ApprovalRequest.js';
import type { PreDecision } from '../decisions/decisions.js';
import { ToolCallDenied } from './ToolCallDenied.js';

/**
 * Thrown by `warden.run` (and wrapped or protected tools) for a held call when the Warden has no approval handler:
 * the resumable form. The tool did not run. Resolve `approval.id` out of band (`warden.approvals.approve`), then retry
 * the same call: it runs once. Its `source` is `'approval'`.
 *
 * @example
 * ```ts
 * try {
 *   await warden.run('refund', { amount: 900 }, refund);
 * } catch (error) {
 *   if (error instanceof ApprovalRequired) await queueForReview(error.approval.id);
 *   else throw error;
 * }
 * ```
 */
export class ApprovalRequired extends ToolCallDenied {
	/** The pending request: its id, digest, message and expiry. */
	readonly approval: ApprovalInfo & { readonly id: string };

	constructor(
		decision: PreDecision & { reason: string; rule: string; approval: ApprovalInfo & { id: string } },
		toolName: string,
		callId: string,
	) {
		super({ ...decision, source: 'approval' }, toolName, callId);
		this.name = 'ApprovalRequired';
		this.approval = decision.approval;
	}
}
