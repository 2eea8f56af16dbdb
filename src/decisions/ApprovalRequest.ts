import type { SideEffect } from '../envelope/types.js';

/** Where a request stands. `consumed`: it was approved and the call it grants has run (a grant is one-shot). */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'consumed';

/**
 * A person's approval asked for one exact call. Bound to `digest` (tool, args, session, principal): only a call with
 * the same digest can use the grant. JSON-serialisable; `args` and `principal` have passed the Warden's redaction.
 */
export interface ApprovalRequest {
	readonly id: string;
	/** SHA-256 hex of the RFC 8785 canonical JSON of `{ toolName, args, sessionId, principal }`. */
	readonly digest: string;
	readonly toolName: string;
	/** The call's args, redacted. */
	readonly args: unknown;
	readonly sessionId: string;
	/** The call's principal, redacted; null when the call named none. */
	readonly principal: unknown;
	/** The rule that asked for approval. */
	readonly rule: string;
	/** Why approval is needed, for the approver. */
	readonly message: string;
	/** ISO 8601. */
	readonly createdAt: string;
	/** ISO 8601; a request not resolved (or a grant not used) by then is `expired`. */
	readonly expiresAt: string;
	readonly status: ApprovalStatus;
	/** Who resolved it. */
	readonly approver?: string;
	/** ISO 8601, when it was approved or denied. */
	readonly resolvedAt?: string;
	/** The approver's note (approvals). */
	readonly note?: string;
	/** The approver's reason (denials); the denied call's agent reads it. */
	readonly reason?: string;
	/** Who may resolve it; absent: anyone but the call's own principal. */
	readonly approvers?: readonly string[];
	/** The hold's `metadata`, redacted. */
	readonly metadata?: Readonly<Record<string, unknown>>;
	/** The call that opened the request. */
	readonly callId: string;
	readonly sideEffect: SideEffect;
	readonly environment: string;
	/** `principal.userId` of the call: the one person who may never approve it. */
	readonly requesterId?: string;
}

/** What `decision.approval` says of a held call. `id` is absent only in a `warden.preview` with no request yet. */
export interface ApprovalInfo {
	readonly id?: string;
	readonly digest: string;
	readonly message: string;
	/** ISO 8601; absent in a preview. */
	readonly expiresAt?: string;
}

/** Options of a hold: `Verdict.hold`, `HookDecision.hold`, `requireApproval`. */
export interface HoldOptions {
	/**
	 * How long the request (and then its grant) stays valid.
	 * @default 900_000 (15 minutes)
	 */
	readonly ttlMs?: number;
	/**
	 * Who may resolve it (matched against the `approver` given to `approve`/`deny`).
	 * @default anyone but the call's own principal (`principal.userId`)
	 * @example ['alice@example.com', 'bob@example.com']
	 */
	readonly approvers?: readonly string[];
	/** Context for the approver, stored (redacted) with the request. */
	readonly metadata?: Record<string, unknown>;
}

/** The answer of an approval handler (the blocking form). */
export interface ApprovalAnswer {
	readonly approved: boolean;
	/** Who decided; must not be the call's own principal, and must be on the request's `approvers` when it has some. */
	readonly approver: string;
	/** Why it was denied; the agent reads it. */
	readonly reason?: string;
}

/**
 * Asks a person (a Slack message, a web form, a ticket) and resolves with their answer. A handler that throws,
 * answers anything else, or does not answer within `timeoutMs` denies the call.
 */
export type ApprovalHandler = (request: ApprovalRequest) => Promise<ApprovalAnswer>;

/** `WardenOptions.approvals`. */
export interface ApprovalOptions {
	/**
	 * The blocking form: `warden.run` awaits it for a held call. Without one, `run` throws `ApprovalRequired` and the
	 * app resolves the request out of band (`warden.approvals.approve`), then retries the call.
	 * @example
	 * ```ts
	 * new Warden({ approvals: { handler: async (request) => askOnSlack(request), timeoutMs: 60_000 } });
	 * ```
	 */
	readonly handler?: ApprovalHandler;
	/**
	 * How long `run` waits for the handler.
	 * @default the request's TTL
	 */
	readonly timeoutMs?: number;
}

/** Filter of `warden.approvals.list`. */
export interface ApprovalFilter {
	/** Only this session's requests. @default every session */
	readonly sessionId?: string;
	/** Only requests in this status. @default every status */
	readonly status?: ApprovalStatus;
}

/** The default TTL of a request: 15 minutes. */
export const DEFAULT_APPROVAL_TTL_MS = 15 * 60_000;
