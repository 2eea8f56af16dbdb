/**
 * toolwarden: a governance layer between an AI agent and the tools it calls.
 *
 * Every call becomes a frozen {@link ToolEnvelope}; the governance pipeline evaluates it (attempt limit,
 * before-hooks, preconditions, session contracts, execution limits; first denial wins); allowed calls run on the
 * frozen args; postconditions and after-hooks follow; every step is audited through a {@link RedactionPolicy}.
 *
 * @example
 * ```ts
 * import { Warden, Verdict, precondition, tool, MemorySink } from 'toolwarden';
 *
 * class Safety {
 *   @precondition('read_file')
 *   noDotEnv(call: ToolEnvelope) {
 *     return String(call.args.path).endsWith('.env') ? Verdict.fail('Reading .env files is not allowed.') : Verdict.pass();
 *   }
 * }
 * const warden = new Warden({ contracts: [new Safety()], audit: new MemorySink() });
 * await warden.run('read_file', { path: 'README.md' }, (args) => readFile(args.path, 'utf8'));
 * ```
 *
 * @module
 */

// The Warden
export { Warden } from './warden/Warden.js';
export type { WardenOptions, LimitOptions } from './warden/WardenOptions.js';
export type { GovernedCall, FailOptions } from './warden/GovernedCall.js';

// Envelopes
export { createEnvelope } from './envelope/createEnvelope.js';
export type { EnvelopeOptions } from './envelope/createEnvelope.js';
export { classifyBash } from './envelope/classifyBash.js';
export { InvalidArgs } from './errors/InvalidArgs.js';
export type { ToolEnvelope, SideEffect, ToolSpec, Principal, CallOptions } from './envelope/types.js';

// Contracts, tools, hooks
export { Verdict, isVerdict } from './contracts/Verdict.js';
export { precondition } from './contracts/precondition.js';
export { postcondition } from './contracts/postcondition.js';
export { sessionContract } from './contracts/sessionContract.js';
export type {
	Contract,
	ContractOptions,
	ContractType,
	Mode,
	PreconditionCheck,
	PostconditionCheck,
	SessionCheck,
} from './contracts/Contract.js';
export type { MethodDecorator } from './contracts/decorator.js';
export type { ToolSelector } from './contracts/ToolSelector.js';
export { tool } from './tools/tool.js';
export type { ToolOptions, ToolMethod } from './tools/tool.js';
export { HookDecision } from './hooks/HookDecision.js';
export { beforeHook, afterHook } from './hooks/hooks.js';
export type { Hook, HookOptions, HookOutcome } from './hooks/hooks.js';

// Behaviour guards and built-in contracts
export { repeatGuard } from './guards/repeatGuard.js';
export type { RepeatGuardOptions } from './guards/repeatGuard.js';
export { jitterGuard, overlapCoefficient, queryTokens } from './guards/jitterGuard.js';
export type { JitterGuardOptions } from './guards/jitterGuard.js';
export { circuitBreaker } from './guards/circuitBreaker.js';
export type { CircuitBreakerOptions } from './guards/circuitBreaker.js';
export { classifyError } from './guards/errorClass.js';
export type { ErrorClass } from './guards/errorClass.js';
export { sideEffectLedger } from './guards/sideEffectLedger.js';
export type { SideEffectLedgerOptions } from './guards/sideEffectLedger.js';
export { idempotencyKey } from './guards/fingerprint.js';
export { sequenceGuard } from './guards/sequenceGuard.js';
export type { SequenceGuardOptions } from './guards/sequenceGuard.js';
export { costBudget } from './guards/costBudget.js';
export type { CostBudgetOptions } from './guards/costBudget.js';
export type { TokenPrices, Usage } from './report/sessionSpend.js';
export { denialStreak } from './guards/denialStreak.js';
export type { DenialStreakOptions } from './guards/denialStreak.js';
export type { GuardOptions } from './guards/Guard.js';
export { denySensitiveReads } from './contracts/builtins/denySensitiveReads.js';
export type { DenySensitiveReadsOptions } from './contracts/builtins/denySensitiveReads.js';
export { denyDestructiveCommands } from './contracts/builtins/denyDestructiveCommands.js';
export type {
	DenyDestructiveCommandsOptions,
	DestructivePattern,
} from './contracts/builtins/denyDestructiveCommands.js';

// Human approval (API §10)
export { requireApproval } from './approvals/requireApproval.js';
export type { RequireApprovalOptions } from './approvals/requireApproval.js';
export { Approvals } from './approvals/Approvals.js';
export { approvalDigest, canonicalize } from './approvals/digest.js';
export { MemoryApprovalStore } from './storage/MemoryApprovalStore.js';
export type {
	ApprovalRequest,
	ApprovalStatus,
	ApprovalInfo,
	HoldOptions,
	ApprovalAnswer,
	ApprovalHandler,
	ApprovalOptions,
	ApprovalFilter,
} from './decisions/ApprovalRequest.js';
export type { ApprovalStore } from './storage/ApprovalStore.js';
export type { ResolvedHold } from './decisions/holdOptions.js';

// Run report
export { formatReport } from './report/formatReport.js';
export type { RunReport } from './report/RunReport.js';

// Decisions
export type {
	PreDecision,
	PostDecision,
	HookRecord,
	ContractRecord,
	DenialRecord,
	DecisionSource,
} from './decisions/decisions.js';
export type { SessionView } from './contracts/SessionView.js';

// Storage
export { MemoryStorage } from './storage/MemoryStorage.js';
export type { MemoryStorageOptions } from './storage/MemoryStorage.js';
export type { StorageBackend } from './storage/StorageBackend.js';
// What only store implementers need (counters, reservations, updates): `toolwarden/extend`.

// Audit and redaction
export { AuditAction } from './audit/AuditAction.js';
export { AUDIT_SCHEMA_VERSION } from './audit/AuditEvent.js';
export type { AuditEvent } from './audit/AuditEvent.js';
export type { AuditSink } from './audit/AuditSink.js';
export type { AuditErrorHandler, AuditStats } from './audit/AuditTrail.js';
export { MemorySink } from './audit/MemorySink.js';
export type { MemorySinkOptions } from './audit/MemorySink.js';
export { ConsoleSink } from './audit/ConsoleSink.js';
export type { ConsoleSinkOptions } from './audit/ConsoleSink.js';
export { JsonlFileSink } from './audit/JsonlFileSink.js';
export type { JsonlSinkStats } from './audit/JsonlFileSink.js';
export type { JsonlFileSinkOptions, FsyncPolicy, HashChainOption } from './audit/JsonlFileSinkOptions.js';
export { verifyAuditLog } from './audit/verifyAuditLog.js';
export type { AuditLogVerification, VerifyOptions, TamperKind } from './audit/verifyAuditLog.js';
export { groupAuditFiles } from './audit/auditFileSets.js';
export type { AuditFileSet } from './audit/auditFileSets.js';
export { canonicalJson } from './_internal/canonicalJson.js';
export { GENESIS_HASH } from './audit/chainLine.js';
export type { ChainLink } from './audit/chainLine.js';
export { RedactionPolicy } from './redaction/RedactionPolicy.js';
export type { RedactionOptions, CustomRedactionRule, CallParts } from './redaction/RedactionPolicy.js';

// Errors
export { ToolWardenError } from './errors/ToolWardenError.js';
export { ToolCallDenied } from './errors/ToolCallDenied.js';
export { ConfigError } from './errors/ConfigError.js';
export { StorageUnavailableError } from './errors/StorageUnavailableError.js';
export { SessionStateLostError } from './errors/SessionStateLostError.js';
export { ApprovalRequired } from './errors/ApprovalRequired.js';
export { ApprovalConflictError } from './errors/ApprovalConflictError.js';
