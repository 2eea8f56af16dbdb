import type { ToolEnvelope } from '../envelope/types.js';
import type { ApprovalInfo } from '../decisions/ApprovalRequest.js';
import type { ResolvedHold } from '../decisions/holdOptions.js';

/** The hold a call's rules asked for: the first holding rule, its message and options. */
export interface Hold {
	readonly rule: string;
	readonly message: string;
	readonly options: ResolvedHold;
}

/**
 * What the approval store says of a held call: a grant lets it run (`granted`, consumed unless previewing), a denied
 * or expired request denies it, otherwise it waits (`held`).
 */
export type GateAnswer =
	| { readonly kind: 'granted'; readonly approvalId: string }
	| { readonly kind: 'held'; readonly approval: ApprovalInfo }
	| { readonly kind: 'denied'; readonly reason: string; readonly approvalId?: string };

/** Looks up (and, outside a preview, opens or consumes) the approval of a held call. May throw when the store fails. */
export type ApprovalGate = (call: ToolEnvelope, hold: Hold) => Promise<GateAnswer>;
