import type { ApprovalRequest } from '../../decisions/ApprovalRequest.js';
import type { CallOptions } from '../../envelope/types.js';
import type { GovernedCall } from '../../warden/GovernedCall.js';
import type { Warden } from '../../warden/Warden.js';
import { approveHeld, denyHeld } from '../shared/approveHeld.js';
import { denialOf } from '../shared/governedExecute.js';

/** The SDK's `PermissionResult` (structural). */
export type PermissionResult =
	| { readonly behavior: 'allow'; readonly updatedInput: Record<string, unknown> }
	| { readonly behavior: 'deny'; readonly message: string };

/** The SDK's `canUseTool` option (structural): asked when a tool call needs permission. */
export type CanUseTool = (
	toolName: string,
	input: Record<string, unknown>,
	options: { readonly signal: AbortSignal; readonly toolUseID?: string },
) => Promise<PermissionResult>;

/** A person's decision on a held call, from the app's `canUseTool` UI. */
export interface PermissionDecision {
	readonly approved: boolean;
	/** Why it was rejected; the agent reads it. */
	readonly reason?: string;
}

/**
 * The held calls of a session, between PreToolUse answering `'ask'` and the SDK's permission step. Keyed by tool use
 * id; bounded (the oldest is forgotten past `max`, and its call simply stays held in the store).
 */
export class PermissionGate {
	readonly #held = new Map<string, { call: GovernedCall<object>; options: CallOptions }>();
	readonly #warden: Warden;
	readonly #approver: string;
	readonly #track: (call: GovernedCall<object>) => void;
	readonly #max: number;

	constructor(warden: Warden, approver: string, track: (call: GovernedCall<object>) => void, max: number) {
		this.#warden = warden;
		this.#approver = approver;
		this.#track = track;
		this.#max = max;
	}

	/** Remembers a held call and answers PreToolUse with `'ask'`: Claude Code's permission flow takes over. */
	hold(id: string, call: GovernedCall<object>, options: CallOptions) {
		if (this.#held.size >= this.#max) this.#held.delete(this.#held.keys().next().value as string);
		this.#held.set(id, { call, options });
		const message = call.decision.reason ?? 'This call needs approval.';
		const reason = `${message} (approval ${call.decision.approval?.id ?? ''})`;
		return {
			hookSpecificOutput: {
				hookEventName: 'PreToolUse' as const,
				permissionDecision: 'ask' as const,
				permissionDecisionReason: reason,
			},
		};
	}

	/**
	 * A held call ran: the person approved it in Claude Code's own prompt (no `canUseTool`). The approval is recorded
	 * now and the call completes on its grant; returns undefined when the id was not held here or cannot be granted.
	 */
	async ranAfterAsk(id: string): Promise<GovernedCall<object> | undefined> {
		const entry = this.#take(id);
		if (entry === undefined) return undefined;
		const call = await approveHeld(this.#warden, entry.call, this.#approver, entry.options);
		return call.allowed ? call : undefined;
	}

	/** The SDK's `canUseTool`: held calls go to `decide`; any other permission prompt to `otherwise` (default: deny). */
	canUseTool(decide: (request: ApprovalRequest) => Promise<PermissionDecision>, otherwise?: CanUseTool): CanUseTool {
		return async (toolName, input, options) => {
			const entry = options.toolUseID === undefined ? undefined : this.#take(options.toolUseID);
			if (entry === undefined)
				return otherwise === undefined
					? { behavior: 'deny', message: `No permission handler for ${toolName}.` }
					: otherwise(toolName, input, options);
			const id = entry.call.decision.approval?.id as string;
			const request = await this.#warden.approvals.get(id);
			let decision: PermissionDecision | undefined;
			try {
				decision = request === undefined ? undefined : await decide(request);
			} catch {
				decision = undefined;
			}
			if (decision?.approved !== true) {
				const reason =
					typeof decision?.reason === 'string' && decision.reason !== ''
						? decision.reason
						: `Not approved by ${this.#approver}.`;
				await denyHeld(this.#warden, entry.call, this.#approver, reason);
				return { behavior: 'deny', message: `${reason} The call was not run.` };
			}
			const call = await approveHeld(this.#warden, entry.call, this.#approver, entry.options);
			if (!call.allowed) return { behavior: 'deny', message: denialOf(call).reason };
			this.#track(call);
			return { behavior: 'allow', updatedInput: { ...(call.envelope.args as Record<string, unknown>) } };
		};
	}

	#take(id: string) {
		const entry = this.#held.get(id);
		this.#held.delete(id);
		return entry;
	}
}
