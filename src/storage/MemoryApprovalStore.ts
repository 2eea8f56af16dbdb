import type { ApprovalFilter, ApprovalRequest } from '../decisions/ApprovalRequest.js';
import type { ApprovalClaim, ApprovalRead, ApprovalResolution, ApprovalStore, ResolveResult } from './ApprovalStore.js';
import { isLapsed, lapse } from '../decisions/expiry.js';

/** Requests kept at most; past it, the oldest finished ones (expired, consumed, denied past expiry) are forgotten. */
const MAX_REQUESTS = 10_000;

/**
 * Approval requests in this process's memory (the approval part of `MemoryStorage`). Each operation runs
 * synchronously, so each is atomic within the process.
 */
export class MemoryApprovalStore implements ApprovalStore {
	readonly #byId = new Map<string, ApprovalRequest>();
	/** The latest request of each digest. */
	readonly #byDigest = new Map<string, string>();

	claimApproval(fresh: ApprovalRequest, now: number): ApprovalClaim {
		const current = this.#current(fresh.digest);
		if (current !== undefined && isLapsed(current, now))
			return { outcome: 'expired', request: this.#put(lapse(current)) };
		if (current?.status === 'approved')
			return { outcome: 'granted', request: this.#put(Object.freeze({ ...current, status: 'consumed' })) };
		if (current?.status === 'denied') return { outcome: 'denied', request: current };
		if (current?.status === 'pending') return { outcome: 'pending', request: current, created: false };
		this.#put(fresh);
		this.#byDigest.set(fresh.digest, fresh.id);
		this.#prune();
		return { outcome: 'pending', request: fresh, created: true };
	}

	peekApproval(digest: string, now: number): ApprovalRequest | undefined {
		const current = this.#current(digest);
		if (current === undefined || isLapsed(current, now)) return undefined;
		return current.status === 'pending' || current.status === 'approved' || current.status === 'denied'
			? current
			: undefined;
	}

	getApproval(id: string, now: number): ApprovalRead<ApprovalRequest | undefined> {
		const request = this.#byId.get(id);
		if (request === undefined || !isLapsed(request, now)) return { value: request, expired: [] };
		const expired = this.#put(lapse(request));
		return { value: expired, expired: [expired] };
	}

	listApprovals(filter: ApprovalFilter, now: number): ApprovalRead<ApprovalRequest[]> {
		const value: ApprovalRequest[] = [];
		const expired: ApprovalRequest[] = [];
		for (let request of this.#byId.values()) {
			if (filter.sessionId !== undefined && request.sessionId !== filter.sessionId) continue;
			if (isLapsed(request, now)) expired.push((request = this.#put(lapse(request))));
			if (filter.status === undefined || request.status === filter.status) value.push(request);
		}
		return { value: value.reverse(), expired };
	}

	resolveApproval(id: string, resolution: ApprovalResolution, now: number): ResolveResult {
		const request = this.#byId.get(id);
		if (request === undefined) return { ok: false, request: undefined };
		if (isLapsed(request, now)) {
			const expired = this.#put(lapse(request));
			return { ok: false, request: expired, expired };
		}
		if (request.status !== 'pending') return { ok: false, request };
		return { ok: true, request: this.#put(Object.freeze({ ...request, ...resolution })) };
	}

	#current(digest: string): ApprovalRequest | undefined {
		const id = this.#byDigest.get(digest);
		return id === undefined ? undefined : this.#byId.get(id);
	}

	#put(request: ApprovalRequest): ApprovalRequest {
		this.#byId.set(request.id, request);
		return request;
	}

	/** Forgets the oldest requests that no call and no approver can use any more, past the bound. */
	#prune(): void {
		if (this.#byId.size <= MAX_REQUESTS) return;
		const now = Date.now();
		for (const [id, request] of this.#byId) {
			if (this.#byId.size <= MAX_REQUESTS) return;
			const finished =
				request.status === 'expired' || request.status === 'consumed' || Date.parse(request.expiresAt) <= now;
			if (!finished) continue;
			this.#byId.delete(id);
			if (this.#byDigest.get(request.digest) === id) this.#byDigest.delete(request.digest);
		}
	}
}
