import type { ApprovalRequest } from './ApprovalRequest.js';

/** Whether a request is past its expiry but not yet marked so (only pending, approved and denied ones expire). */
export function isLapsed(request: ApprovalRequest, now: number): boolean {
	const live = request.status === 'pending' || request.status === 'approved' || request.status === 'denied';
	return live && Date.parse(request.expiresAt) <= now;
}

/** The request marked `expired`. */
export function lapse(request: ApprovalRequest): ApprovalRequest {
	return Object.freeze({ ...request, status: 'expired' });
}
