import type { Warden } from '../../warden/Warden.js';
import { callOptions, type AdapterOptions } from '../shared/governedExecute.js';
import { toolArgs } from '../shared/runGoverned.js';

/** The AI SDK's `needsApproval` signature (v6): the tool's input and the call's id. */
export type NeedsApproval = (
	input: unknown,
	options: { readonly toolCallId: string; readonly messages?: readonly unknown[] },
) => boolean | PromiseLike<boolean>;

/**
 * The tool's `needsApproval`: true when `warden.preview` holds the call (or the tool's own `needsApproval` says so).
 * A preview has no side effect, so the SDK may ask as often as it likes (it asks again when an approval comes back).
 */
export function needsApprovalOf(
	warden: Warden,
	name: string,
	own: unknown,
	options: AdapterOptions | undefined,
): NeedsApproval {
	return async (input, callOptions_) => {
		if (own === true) return true;
		if (typeof own === 'function' && (await (own as NeedsApproval)(input, callOptions_)) === true) return true;
		const args = toolArgs(input);
		const decision = await warden.preview(name, args, callOptions(options, callOptions_.toolCallId));
		return decision.action === 'hold';
	};
}

interface Part {
	readonly type?: unknown;
	readonly toolCallId?: unknown;
	readonly approvalId?: unknown;
	readonly approved?: unknown;
}

/**
 * Whether the messages the SDK hands to `execute` hold an approval response approving this tool call: the SDK only
 * runs a tool whose `needsApproval` was true after such a response, and this is how the adapter knows a person
 * approved it (rather than the tool needing no approval when the SDK asked).
 */
export function approvedInMessages(messages: readonly unknown[] | undefined, toolCallId: string | undefined): boolean {
	if (messages === undefined || toolCallId === undefined) return false;
	const approvalIds = new Set<unknown>();
	let approved = false;
	for (const part of partsOf(messages)) {
		if (part.type === 'tool-approval-request' && part.toolCallId === toolCallId) approvalIds.add(part.approvalId);
	}
	for (const part of partsOf(messages)) {
		if (part.type === 'tool-approval-response' && approvalIds.has(part.approvalId)) approved = part.approved === true;
	}
	return approved;
}

function* partsOf(messages: readonly unknown[]): Generator<Part> {
	for (const message of messages) {
		const content = (message as { content?: unknown } | null)?.content;
		if (Array.isArray(content)) yield* content as Part[];
	}
}
