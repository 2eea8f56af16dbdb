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
import { asText, governedExecute, type AdapterOptions } from '../shared/governedExecute.js';

export type { AdapterOptions, Denial } from '../shared/governedExecute.js';

/** The part of an Agents SDK tool the adapter touches; other tool kinds (hosted, computer) pass through unchanged. */
export interface AgentsTool {
	readonly type: string;
	readonly name: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's RunContext and details types vary by version
	invoke?: (runContext: any, input: string, details?: any) => Promise<unknown>;
}

/**
 * A governed copy of a function tool: same name, description and parameters (the model sees it unchanged); each
 * invocation goes through `warden`, with the model's tool-call id as the `callId`. A denied call returns the reason
 * as the tool's output, so the run goes on and the model can adapt; a replay returns the recorded output.
 */
export function governTool<T extends AgentsTool>(warden: Warden, tool: T, options?: AdapterOptions): T {
	const invoke = tool.invoke;
	if (tool.type !== 'function' || typeof invoke !== 'function') return tool;
	const governed = {
		...tool,
		invoke: async (runContext: unknown, input: string, details?: { toolCall?: { callId?: string } }) => {
			let args: unknown;
			try {
				args = input === '' ? {} : JSON.parse(input);
			} catch {
				args = { input };
			}
			const result = await governedExecute(warden, tool.name, args, details?.toolCall?.callId, { ...options, onDenied: options?.onDenied ?? ((denial) => denial.reason) }, (frozen) =>
				// The tool parses and validates its JSON input itself: it gets the validated copy, re-serialised.
				invoke.call(tool, runContext, JSON.stringify(frozen), details),
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
