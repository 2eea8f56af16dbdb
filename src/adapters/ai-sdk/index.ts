/**
 * `toolwarden/ai-sdk`: governs Vercel AI SDK tools.
 *
 * @example
 * ```ts
 * import { generateText, tool } from 'ai';
 * import { governTools } from 'toolwarden/ai-sdk';
 *
 * const tools = governTools(warden, { weather: tool({ description, inputSchema, execute }) }, { sessionId: chatId });
 * await generateText({ model, tools, prompt });
 * ```
 *
 * @module
 */
import type { Warden } from '../../warden/Warden.js';
import { approvedInMessages, needsApprovalOf } from './approvalFlow.js';
import {
	governedExecute,
	governedStream,
	isAsyncGeneratorFunction,
	type AdapterOptions,
} from '../shared/governedExecute.js';

export type { AdapterOptions, Denial } from '../shared/governedExecute.js';

/** The part of an AI SDK tool the adapter touches (compatible with AI SDK v6 and v7 tools). */
export interface ExecutableTool {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each tool has its own input and options types (v6, v7), kept by the generic
	execute?: ((input: any, options: any) => unknown) | undefined;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as execute
	needsApproval?: boolean | ((input: any, options: any) => boolean | PromiseLike<boolean>) | undefined;
}

/**
 * Returns the same tools, keyed the same, with each `execute` governed by `warden`: the model sees the definitions
 * unchanged (description, input schema). The AI SDK's `toolCallId` becomes the call's `callId`. A denied call returns
 * a `Denial` object to the model as the tool's result (the loop goes on); a replayed call returns the recorded
 * result; streaming tools (async iterable results) keep streaming. Tools without `execute` are left alone.
 *
 * Human approval (API §10) uses the SDK's own flow: each tool's `needsApproval` asks `warden.preview`, so a call a
 * rule holds becomes a `tool-approval-request`; when the app answers with an approving `tool-approval-response`, the
 * approval is recorded in `warden.approvals` as `options.approver` (default `'ai-sdk'`) and the call runs once.
 */
export function governTools<T extends Record<string, ExecutableTool>>(
	warden: Warden,
	tools: T,
	options?: AdapterOptions,
): T {
	const governed: Record<string, ExecutableTool> = {};
	for (const [name, tool] of Object.entries(tools)) {
		const execute = tool.execute;
		if (typeof execute !== 'function') {
			governed[name] = tool;
			continue;
		}
		const streaming = isAsyncGeneratorFunction(execute);
		governed[name] = {
			...tool,
			needsApproval: needsApprovalOf(warden, name, tool.needsApproval, options),
			execute: (
				input: unknown,
				executionOptions: { readonly toolCallId?: string; readonly messages?: readonly unknown[] } | undefined,
			) => {
				const run = (args: unknown) => execute.call(tool, args, executionOptions);
				const callId = executionOptions?.toolCallId;
				const approvedBy = approvedInMessages(executionOptions?.messages, callId)
					? (options?.approver ?? 'ai-sdk')
					: undefined;
				return streaming
					? governedStream(
							warden,
							name,
							input,
							callId,
							options,
							run as (args: unknown) => AsyncIterable<unknown>,
							approvedBy,
						)
					: governedExecute(warden, name, input, callId, options, run, approvedBy);
			},
		};
	}
	return governed as T;
}
