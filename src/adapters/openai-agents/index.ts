/**
 * `toolwarden/openai-agents`: governs OpenAI Agents SDK function tools (`@openai/agents` / `@openai/agents-core`).
 *
 * @example
 * ```ts
 * import { Agent, run, tool } from '@openai/agents';
 * import { governTools } from 'toolwarden/openai-agents';
 *
 * const agent = new Agent({ name: 'support', tools: governTools(warden, [lookupOrder, refund]) });
 * await run(agent, 'Refund order A-1001');
 * ```
 *
 * @module
 */
import type { Warden } from '../../warden/Warden.js';
import { asText, callOptions, governedExecute, type AdapterOptions } from '../shared/governedExecute.js';
import { toolArgs } from '../shared/runGoverned.js';

export type { AdapterOptions, Denial } from '../shared/governedExecute.js';

/** The part of an Agents SDK tool the adapter touches; other tool kinds (hosted, computer) pass through unchanged. */
export interface AgentsTool {
	readonly type: string;
	readonly name: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's RunContext and details types vary by version
	invoke?: (runContext: any, input: string, details?: any) => Promise<unknown>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as invoke
	needsApproval?: boolean | ((runContext: any, input: any, callId?: string) => Promise<boolean>);
}

/** The part of the SDK's RunContext the adapter reads: whether a person approved this call in the run's state. */
interface ApprovalContext {
	isToolApproved?: (approval: { toolName: string; callId: string }) => boolean | undefined;
}

/**
 * A governed copy of a function tool: same name, description and parameters (the model sees it unchanged); each
 * invocation goes through `warden`, with the model's tool-call id as the `callId`. A denied call returns the reason
 * as the tool's output, so the run goes on and the model can adapt; a replay returns the recorded output.
 *
 * Human approval (API §10) uses the SDK's own flow: `needsApproval` asks `warden.preview` (no side effect, so it is
 * safe when the SDK re-evaluates it after a `RunState` is restored), a held call becomes one of `result.interruptions`,
 * and once the app calls `state.approve(item)` and resumes, the approval is recorded in `warden.approvals` as
 * `options.approver` (default `'openai-agents'`) and the call runs once. `state.reject(item)` never runs it.
 */
export function governTool<T extends AgentsTool>(warden: Warden, tool: T, options?: AdapterOptions): T {
	const invoke = tool.invoke;
	if (tool.type !== 'function' || typeof invoke !== 'function') return tool;
	const own = tool.needsApproval;
	const governed = {
		...tool,
		needsApproval: async (runContext: unknown, input: unknown, callId?: string): Promise<boolean> => {
			if (own === true || (typeof own === 'function' && (await own(runContext, input, callId)) === true)) return true;
			const args = toolArgs(input);
			return (await warden.preview(tool.name, args, callOptions(options, callId))).action === 'hold';
		},
		invoke: async (runContext: unknown, input: string, details?: { toolCall?: { callId?: string } }) => {
			let args: unknown;
			try {
				args = input === '' ? {} : JSON.parse(input);
			} catch {
				args = { input };
			}
			const callId = details?.toolCall?.callId;
			const approved =
				callId !== undefined &&
				(runContext as ApprovalContext | null)?.isToolApproved?.({ toolName: tool.name, callId }) === true;
			const approvedBy = approved ? (options?.approver ?? 'openai-agents') : undefined;
			const result = await governedExecute(
				warden,
				tool.name,
				args,
				callId,
				{ ...options, onDenied: options?.onDenied ?? ((denial) => denial.reason) },
				(frozen) =>
					// The tool parses and validates its JSON input itself: it gets the validated copy, re-serialised.
					invoke.call(tool, runContext, JSON.stringify(frozen), details),
				approvedBy,
			);
			return typeof result === 'string' || typeof result === 'object' ? result : asText(result);
		},
	};
	return governed;
}

/** {@link governTool} for each tool of an array, in the same order. */
export function governTools<T extends AgentsTool>(warden: Warden, tools: readonly T[], options?: AdapterOptions): T[] {
	return tools.map((tool) => governTool(warden, tool, options));
}
