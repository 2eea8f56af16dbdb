import type { CallOptions } from '../../../envelope/types.js';
import type { GovernedCall } from '../../../warden/GovernedCall.js';
import type { Warden } from '../../../warden/Warden.js';
import { approveHeld, denyHeld } from '../../shared/approveHeld.js';

/** How the gateway can settle a held call. */
export interface HoldContext {
	/** The name approvals and denials given in the client's prompt are recorded under. */
	readonly approver: string;
	/** The policy module's path, for the command a denial tells the user to run. */
	readonly policy: string;
	/** Sends an `elicitation/create` to the client; undefined when the client did not declare form elicitation. */
	readonly elicit: ((params: object, signal: AbortSignal) => Promise<unknown>) | undefined;
	/** Aborts when the client cancels the call or the gateway stops: the question is withdrawn. */
	readonly signal: AbortSignal;
}

/** The form the client shows: one yes/no and an optional reason (MCP elicitation's flat, primitive-only schema). */
const REQUESTED_SCHEMA = {
	type: 'object',
	properties: {
		approve: {
			type: 'boolean',
			title: 'Approve',
			description: 'Run this exact call once.',
			default: false,
		},
		reason: { type: 'string', title: 'Reason', description: 'Why not (the agent reads it).' },
	},
	required: ['approve'],
} as const;

const MAX_ARGS_TEXT = 2_000;

/**
 * Settles a held call in the gateway: the client's user is asked through MCP elicitation when the client supports it,
 * and the answer is recorded as the approval (the call then runs on its one-shot grant) or the denial. Returns the
 * call to go on with, or the reason to answer the client with when the call does not run. Without elicitation, or
 * when asking fails, the reason names the pending request and how to approve it out of band.
 */
export async function askApproval(
	warden: Warden,
	call: GovernedCall<object>,
	options: CallOptions,
	context: HoldContext,
): Promise<GovernedCall<object> | string> {
	const { approver, elicit, signal } = context;
	const info = call.decision.approval;
	const message = call.decision.reason ?? 'This call needs approval.';
	if (info?.id === undefined) return message;
	const pending =
		`${message} Approval ${info.id} is pending. To run the call, a person approves it ` +
		`(toolwarden approvals approve ${info.id} --policy ${context.policy} --as NAME) and the call is retried: ` +
		'it then runs once.';
	if (elicit === undefined) return pending;
	const expiresAt = Date.parse(info.expiresAt ?? '');
	let answer: unknown;
	try {
		const request = await warden.approvals.get(info.id);
		const prompt = promptText(message, call.envelope.toolName, request?.args);
		const params = { message: prompt, requestedSchema: REQUESTED_SCHEMA };
		// Past the request's expiry an answer could not be recorded: stop asking then.
		const expiry = Number.isNaN(expiresAt) ? [] : [AbortSignal.timeout(Math.max(expiresAt - Date.now(), 0))];
		answer = await elicit(params, AbortSignal.any([signal, ...expiry]));
	} catch {
		// Cancelled (nobody reads the answer), expired, or the client could not ask: the request stays as it is.
		if (Date.now() >= expiresAt) return `${message} The approval request expired unanswered.`;
		return pending;
	}
	const { approve, reason } = readAnswer(answer);
	if (approve) return approveHeld(warden, call, approver, options);
	const why = reason ?? `Not approved by ${approver}.`;
	await denyHeld(warden, call, approver, why);
	return `${why} The call was not run.`;
}

/** What the person is shown: the rule's message and the exact call (its args as the audit keeps them, redacted). */
function promptText(message: string, toolName: string, args: unknown): string {
	let text = args === undefined ? '' : (JSON.stringify(args) ?? '');
	if (text.length > MAX_ARGS_TEXT) text = `${text.slice(0, MAX_ARGS_TEXT)}…`;
	return `${message}\n\nTool: ${toolName}${text === '' ? '' : `\nArguments: ${text}`}`;
}

/** Only an accepted form with `approve: true` approves; a decline, a cancel or anything malformed denies. */
function readAnswer(answer: unknown): { approve: boolean; reason: string | undefined } {
	const { action, content } = (answer ?? {}) as { action?: unknown; content?: { approve?: unknown; reason?: unknown } };
	if (action === 'decline') return { approve: false, reason: 'The user declined the approval request.' };
	if (action === 'cancel') return { approve: false, reason: 'The user dismissed the approval request.' };
	if (action !== 'accept' || typeof content !== 'object' || content === null)
		return { approve: false, reason: undefined };
	const reason = typeof content.reason === 'string' && content.reason.trim() !== '' ? content.reason : undefined;
	return { approve: content.approve === true, reason };
}
