import type { Awaitable } from './StorageBackend.js';
import type { ApprovalFilter, ApprovalRequest } from '../decisions/ApprovalRequest.js';

/**
 * What a held call finds in the store for its digest, after {@link ApprovalStore.claimApproval}:
 * - `granted`: an approved request, now `consumed` by this call (the call runs once);
 * - `denied`: a denied request (sticky until it expires);
 * - `pending`: a request waiting for a person, `created` when this call opened it;
 * - `expired`: the live request was past its expiry; it is now marked `expired` (audit `approval_expired`) and the
 *   call is denied. The next identical call opens a new request.
 */
export type ApprovalClaim =
	| { readonly outcome: 'granted'; readonly request: ApprovalRequest }
	| { readonly outcome: 'expired'; readonly request: ApprovalRequest }
	| { readonly outcome: 'denied'; readonly request: ApprovalRequest }
	| { readonly outcome: 'pending'; readonly request: ApprovalRequest; readonly created: boolean };

/** A resolution to write: approved or denied, by whom, when. */
export interface ApprovalResolution {
	readonly status: 'approved' | 'denied';
	readonly approver: string;
	readonly resolvedAt: string;
	readonly note?: string;
	readonly reason?: string;
}

/** The answer of {@link ApprovalStore.resolveApproval}: the resolved request, or what stood in the way. */
export type ResolveResult =
	| { readonly ok: true; readonly request: ApprovalRequest }
	| { readonly ok: false; readonly request: ApprovalRequest | undefined; readonly expired?: ApprovalRequest };

/** Requests read with lazy expiry: the requests, and those this read marked `expired`. */
export interface ApprovalRead<T> {
	readonly value: T;
	readonly expired: readonly ApprovalRequest[];
}

/**
 * Where approval requests live: a part of the {@link StorageBackend} (`storage.approvals`), so every process sharing
 * a store sees and resolves the same requests. Every operation is atomic (a Redis implementation runs each as one
 * script): two approvers racing get one winner, two identical calls racing for one grant get one run. `now` is
 * milliseconds since the epoch; a request whose `expiresAt` is not after `now` and is still pending, approved or denied
 * is marked `expired` by the first operation that touches it.
 */
export interface ApprovalStore {
	/**
	 * For a held call: finds the live request of `fresh.digest` and consumes it when approved, or stores `fresh` as a
	 * new pending request when there is none (or only an expired or consumed one).
	 */
	claimApproval(fresh: ApprovalRequest, now: number): Awaitable<ApprovalClaim>;
	/** The live (pending, approved or denied, not past expiry) request of a digest, without changing anything. */
	peekApproval(digest: string, now: number): Awaitable<ApprovalRequest | undefined>;
	getApproval(id: string, now: number): Awaitable<ApprovalRead<ApprovalRequest | undefined>>;
	/** Newest first. */
	listApprovals(filter: ApprovalFilter, now: number): Awaitable<ApprovalRead<ApprovalRequest[]>>;
	/** Resolves a pending request, write-once. */
	resolveApproval(id: string, resolution: ApprovalResolution, now: number): Awaitable<ResolveResult>;
}

/** A storage backend that can hold approval requests. */
export interface ApprovalCapable {
	readonly approvals?: ApprovalStore;
}
