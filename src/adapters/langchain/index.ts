/**
 * `toolwarden/langchain`: governs LangChain.js tools, in `createAgent` agents (`wardenMiddleware`) and on their own
 * (`governTool`, for LangGraph's ToolNode or a custom loop).
 *
 * @module
 */
import { ToolMessage } from '@langchain/core/messages';
import { DynamicStructuredTool, type StructuredToolInterface } from '@langchain/core/tools';
import { createMiddleware } from 'langchain';
import type { Warden } from '../../warden/Warden.js';
import { settleByInterrupt } from './approvalInterrupt.js';
import { asText, callOptions, governedExecute, type AdapterOptions } from '../shared/governedExecute.js';
import { runGoverned, toolArgs } from '../shared/runGoverned.js';

export type { AdapterOptions, Denial } from '../shared/governedExecute.js';
export type { WardenHITLRequest } from './approvalInterrupt.js';

/** Options of {@link wardenMiddleware}. */
export interface WardenMiddlewareOptions extends Omit<AdapterOptions, 'sessionId' | 'onDenied'> {
	/**
	 * The session of a tool call: a fixed id, or one derived from the run (a thread id in the runtime's context).
	 * @default the Warden's `sessionId`
	 */
	readonly sessionId?: string | ((runtime: unknown) => string | undefined);
}

/**
 * Middleware for `createAgent` that governs every tool call (`wrapToolCall`): the model's tool-call id becomes the
 * call's `callId`; a denial answers with a `ToolMessage` (status `error`) carrying the reason, so the agent loop goes
 * on and the model can adapt; a replay answers with the recorded result; an error `ToolMessage` from the tool is
 * audited as a failure.
 *
 * Human approval (API §10) uses LangGraph's interrupts (the agent needs a checkpointer): a held call interrupts the run
 * with a `humanInTheLoopMiddleware`-shaped request (`actionRequests`, `reviewConfigs`, plus `approval.id`); resume
 * with `new Command({ resume: { decisions: [{ type: 'approve' }] } })` (or `reject`, with a `message`) and the decision
 * is recorded in `warden.approvals` as `options.approver` (default `'langchain'`); an approved call runs once.
 *
 * @example
 * ```ts
 * const agent = createAgent({ model, tools: [readFile], middleware: [wardenMiddleware(warden, { sessionId: threadId })] });
 * ```
 */
export function wardenMiddleware(warden: Warden, options: WardenMiddlewareOptions = {}) {
	return createMiddleware({
		name: 'toolwarden',
		wrapToolCall: async (request, handler) => {
			const { toolCall } = request;
			const sessionId =
				typeof options.sessionId === 'function' ? options.sessionId(request.runtime) : options.sessionId;
			const adapterOptions = { ...options, ...(sessionId === undefined ? {} : { sessionId }) } as AdapterOptions;
			const args = toolArgs(toolCall.args);
			let call = await warden.begin(toolCall.name, args, callOptions(adapterOptions, toolCall.id));
			const message = (content: string, status?: 'error') =>
				new ToolMessage({
					content,
					tool_call_id: toolCall.id ?? call.envelope.callId,
					name: toolCall.name,
					...(status === undefined ? {} : { status }),
				});
			if (call.decision.action === 'hold') {
				const settled = await settleByInterrupt(
					warden,
					call,
					options.approver ?? 'langchain',
					callOptions(adapterOptions, call.envelope.callId),
				);
				if ('rejected' in settled) return message(settled.rejected, 'error');
				call = settled;
			}
			const run = (frozen: object) =>
				handler({ ...request, toolCall: { ...toolCall, args: frozen as Record<string, unknown> } });
			return runGoverned(call, run, {
				replayed: (result) => (result instanceof ToolMessage ? result : message(asText(result))),
				denied: (denial) => message(denial.reason, 'error'),
				failureOf: (result) =>
					ToolMessage.isInstance(result) && result.status === 'error' ? new Error(asText(result.content)) : undefined,
				recorded: (result) => (ToolMessage.isInstance(result) ? result.content : result),
			}) as ReturnType<typeof handler>;
		},
	});
}

/**
 * A governed copy of a LangChain tool, for tools used outside `createAgent` (LangGraph's `ToolNode`, custom loops):
 * same name, description and schema; each invocation goes through `warden`, with the tool-call id (when invoked with
 * a tool call) as the `callId`. A denial returns the reason as the tool's output.
 */
export function governTool<T extends StructuredToolInterface>(
	warden: Warden,
	tool: T,
	options?: AdapterOptions,
): DynamicStructuredTool {
	return new DynamicStructuredTool({
		name: tool.name,
		description: tool.description,
		schema: tool.schema as never,
		func: async (input: unknown, runManager?: unknown, config?: object) => {
			const denialText = (d: { reason: string }) => d.reason;
			// Invoked with a tool call (ToolNode, agents), the config carries it: its id is the call's id.
			const callId = (config as { toolCall?: { id?: string } } | undefined)?.toolCall?.id;
			// This tool already parsed the input against the same schema: run the original's function directly when it
			// has one, rather than its whole invoke machinery a second time.
			const direct = (tool as { func?: (input: unknown, runManager?: unknown, config?: object) => unknown }).func;
			const run =
				typeof direct === 'function'
					? (args: unknown) => direct.call(tool, args, runManager, config)
					: (args: unknown) => tool.invoke(args as never);
			const result = await governedExecute(
				warden,
				tool.name,
				input,
				callId,
				{ ...options, onDenied: options?.onDenied ?? denialText },
				run,
			);
			return typeof result === 'string' ? result : asText(result);
		},
	});
}
