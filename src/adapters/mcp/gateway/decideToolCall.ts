import type { CallOptions } from '../../../envelope/types.js';
import type { GovernedCall } from '../../../warden/GovernedCall.js';
import type { Warden } from '../../../warden/Warden.js';
import { denialOf } from '../../shared/governedExecute.js';
import { askApproval, type HoldContext } from './askApproval.js';

/** What the gateway does with one `tools/call` request. */
export type ToolCallDecision =
	/** Send the request upstream unchanged; complete `call` when the response (or a cancellation) comes. */
	| { readonly forward: true; readonly call: GovernedCall<object> }
	/** Answer the client with `result` (a denial or a replayed result); the upstream never sees the request. */
	| { readonly forward: false; readonly result: Readonly<Record<string, unknown>> };

/** A denial as an MCP tool result: the model reads the reason and can adapt (the agent loop goes on). */
export function deniedToolResult(reason: string): Readonly<Record<string, unknown>> {
	return { content: [{ type: 'text', text: reason }], isError: true };
}

/**
 * Decides the outcome of one `tools/call`: the single place where a call is governed before it reaches the upstream
 * (a task-augmented call included: it is decided before the task starts). A held call is put to the client's user
 * through MCP elicitation when the client supports it (approved: it is forwarded on its one-shot grant); otherwise,
 * or when it is not approved, it is answered as a denial (naming the pending approval and how to resolve it).
 */
export async function decideToolCall(
	warden: Warden,
	name: string,
	args: object,
	options: CallOptions,
	hold: HoldContext,
): Promise<ToolCallDecision> {
	let call = await warden.begin(name, args, options);
	if (call.decision.action === 'hold') {
		const settled = await askApproval(warden, call, options, hold);
		if (typeof settled === 'string') return { forward: false, result: deniedToolResult(settled) };
		call = settled;
	}
	if (call.replayed) return { forward: false, result: call.result as Record<string, unknown> };
	if (!call.allowed) return { forward: false, result: deniedToolResult(denialOf(call).reason) };
	return { forward: true, call };
}

/** The text of an MCP tool result's text content, for the audit's error message of an `isError` result. */
export function resultText(result: Readonly<Record<string, unknown>>): string {
	const content = result['content'];
	if (!Array.isArray(content)) return '';
	return content
		.map((part: unknown) =>
			typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text'
				? String((part as { text?: unknown }).text)
				: '',
		)
		.filter((text) => text !== '')
		.join('\n');
}

/** The error a cancelled call is audited with (its `type` in the audit is the name). */
export class ToolCallCancelled extends Error {
	override readonly name = 'ToolCallCancelled';
}

/** The error of a call the gateway could not see to its end (shutdown, upstream gone). */
export class ToolCallAbandoned extends Error {
	override readonly name = 'ToolCallAbandoned';
}

/** An upstream JSON-RPC error response to a `tools/call`. */
export class UpstreamError extends Error {
	override readonly name = 'McpError';
}
