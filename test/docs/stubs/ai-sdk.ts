/**
 * A scripted AI SDK model for doc snippets (imported by their hidden preludes as `@snippets/ai-sdk`): it asks for the
 * given tool calls, one step each, then answers `text`. No network, no key.
 */
import { MockLanguageModelV3 } from 'ai/test';

const usage = {
	inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
	outputTokens: { total: 1, text: 1, reasoning: 0 },
};

export function scriptedModel(
	calls: ReadonlyArray<{ readonly tool: string; readonly input: object }>,
	text: string,
): MockLanguageModelV3 {
	const steps = calls.map(({ tool, input }, i) => ({
		content: [
			{ type: 'tool-call' as const, toolCallId: `call_${i + 1}`, toolName: tool, input: JSON.stringify(input) },
		],
		finishReason: { unified: 'tool-calls' as const, raw: undefined },
		usage,
		warnings: [],
	}));
	const answer = {
		content: [{ type: 'text' as const, text }],
		finishReason: { unified: 'stop' as const, raw: undefined },
		usage,
		warnings: [],
	};
	return new MockLanguageModelV3({ doGenerate: [...steps, answer] });
}
