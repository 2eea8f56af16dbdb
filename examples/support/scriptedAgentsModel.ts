import { Usage, type Model, type ModelRequest, type ModelResponse } from '@openai/agents-core';

/**
 * A scripted model implementing the Agents SDK's public `Model` interface: it answers each request with the next
 * queued output and records the requests. (The SDK's own `ScriptedModel` ships only with versions of
 * `@openai/agents-core` whose `openai` dependency requires Node 22, which this project does not use.)
 */
export class ScriptedAgentsModel implements Model {
	readonly requests: ModelRequest[] = [];
	readonly #queue: Array<ModelResponse['output']>;

	constructor(outputs: Array<ModelResponse['output']>) {
		this.#queue = [...outputs];
	}

	async getResponse(request: ModelRequest): Promise<ModelResponse> {
		this.requests.push(request);
		const output = this.#queue.shift();
		if (output === undefined) throw new Error('ScriptedAgentsModel: no scripted response left');
		return { usage: new Usage(), output, responseId: `resp_${this.requests.length}` };
	}

	// eslint-disable-next-line require-yield -- streaming is not scripted
	async *getStreamedResponse(): AsyncIterable<never> {
		throw new Error('ScriptedAgentsModel does not stream');
	}
}

export const functionCall = (callId: string, name: string, args: object) => [
	{
		type: 'function_call' as const,
		id: `fc_${callId}`,
		callId,
		name,
		arguments: JSON.stringify(args),
		status: 'completed' as const,
	},
];
export const assistantText = (text: string) => [
	{
		type: 'message' as const,
		id: `msg_${text.length}`,
		role: 'assistant' as const,
		status: 'completed' as const,
		content: [{ type: 'output_text' as const, text }],
	},
];
