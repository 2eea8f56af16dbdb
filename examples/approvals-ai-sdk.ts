/**
 * Human approval in the Vercel AI SDK's own flow: governTools() gives each tool a `needsApproval` that asks
 * `warden.preview`; a held call comes back as a `tool-approval-request`, the app answers with a
 * `tool-approval-response`, and the approved call runs once, recorded as the approver. Offline (scripted model).
 * Run: npx tsx examples/approvals-ai-sdk.ts
 */
import { generateText, stepCountIs, tool, type ModelMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { MemorySink, requireApproval, Warden } from 'toolwarden';
import { governTools } from 'toolwarden/ai-sdk';
import { z } from 'zod';
import { runIfMain } from './run-main.js';

const usage = {
	inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
	outputTokens: { total: 1, text: 1, reasoning: 0 },
};
const callTool = (toolCallId: string, toolName: string, input: object) => ({
	content: [{ type: 'tool-call' as const, toolCallId, toolName, input: JSON.stringify(input) }],
	finishReason: { unified: 'tool-calls' as const, raw: undefined },
	usage,
	warnings: [],
});
const say = (text: string) => ({
	content: [{ type: 'text' as const, text }],
	finishReason: { unified: 'stop' as const, raw: undefined },
	usage,
	warnings: [],
});

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const audit = new MemorySink();
	const warden = new Warden({
		audit,
		contracts: [requireApproval('refund', { when: (call) => Number(call.args['amountUsd']) > 100 })],
	});
	const tools = governTools(
		warden,
		{
			refund: tool({
				description: 'Refund an order',
				inputSchema: z.object({ orderId: z.string(), amountUsd: z.number() }),
				execute: async ({ orderId, amountUsd }) => `refunded $${amountUsd} on ${orderId}`,
			}),
		},
		{ approver: 'sam@support.example' },
	);
	const model = new MockLanguageModelV3({
		doGenerate: [callTool('c1', 'refund', { orderId: 'A-1', amountUsd: 240 }), say('Refunded $240.')],
	});
	const prompt: ModelMessage[] = [{ role: 'user', content: 'Refund order A-1 ($240).' }];

	const first = await generateText({ model, tools, messages: prompt, stopWhen: stepCountIs(5) });
	const requests = first.content.filter((part) => part.type === 'tool-approval-request');
	log(`approval requests: ${requests.length}`);
	// The app shows the request to a person; they approve. The answer goes back as a tool message.
	const answers = requests.map((part) => ({
		type: 'tool-approval-response' as const,
		approvalId: part.approvalId,
		approved: true,
	}));
	const second = await generateText({
		model,
		tools,
		messages: [...prompt, ...first.response.messages, { role: 'tool', content: answers }],
		stopWhen: stepCountIs(5),
	});
	log(`model: ${second.text}`);
	log(
		`audit: ${audit.events.map((e) => (e.approver === undefined ? e.action : `${e.action} by ${e.approver}`)).join(', ')}`,
	);
}

runIfMain(import.meta.url, main);
