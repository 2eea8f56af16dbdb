/**
 * What implementers of a session store, an approval store or an audit sink need beyond the main entry point: the
 * store protocols with every record they exchange, and the hash chain's building blocks.
 *
 * @example
 * ```ts
 * import type { StorageBackend, SessionCounters, Awaitable } from 'toolwarden/extend';
 *
 * class MyStorage implements StorageBackend {
 *   beginAttempt(sessionId: string): Awaitable<SessionCounters> { ... }
 *   // ...
 * }
 * ```
 *
 * @module
 */

// Session store
export type {
	StorageBackend,
	SessionCounters,
	SessionTotals,
	ExecutionLimits,
	Reservation,
	CallOutcome,
	OutcomeInfo,
	Update,
	KeyBound,
	Awaitable,
} from './storage/StorageBackend.js';

// Approval store
export type {
	ApprovalStore,
	ApprovalClaim,
	ApprovalResolution,
	ResolveResult,
	ApprovalRead,
} from './storage/ApprovalStore.js';
export type { ApprovalRequest, ApprovalStatus, ApprovalFilter } from './decisions/ApprovalRequest.js';

// Audit sinks and the hash chain
export type { AuditSink } from './audit/AuditSink.js';
export type { AuditEvent } from './audit/AuditEvent.js';
export { canonicalJson } from './_internal/canonicalJson.js';
export { GENESIS_HASH } from './audit/chainLine.js';
export type { ChainLink, ChainKey } from './audit/chainLine.js';
