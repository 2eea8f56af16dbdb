/**
 * Vercel AI SDK: governTools() wraps each tool's execute; a scripted model (MockLanguageModelV3) drives a real
 * generateText loop. Run: npx tsx examples/ai-sdk.ts
 */
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { MemorySink, precondition, Verdict, Warden } from 'toolwarden';
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
		contracts: [
			precondition(
				'refund',
				(call) =>
					Number(call.args['amountUsd']) <= 100
						? Verdict.pass()
						: Verdict.fail('Refunds over $100 need a human. Refund $100 and escalate the rest.'),
				{ name: 'refundCap' },
			),
		],
	});
	const tools = governTools(warden, {
		refund: tool({
			description: 'Refund an order',
			inputSchema: z.object({ orderId: z.string(), amountUsd: z.number() }),
			execute: async ({ orderId, amountUsd }) => `refunded $${amountUsd} on ${orderId}`,
		}),
	});
	// The model first asks for too much, reads the denial, and corrects itself.
	const model = new MockLanguageModelV3({
		doGenerate: [
			callTool('c1', 'refund', { orderId: 'A-1', amountUsd: 240 }),
			callTool('c2', 'refund', { orderId: 'A-1', amountUsd: 100 }),
			say('Refunded $100; escalated $140.'),
		],
	});
	const result = await generateText({
		model,
		tools,
		prompt: 'Refund order A-1 in full ($240).',
		stopWhen: stepCountIs(5),
	});
	for (const step of result.steps)
		for (const r of step.toolResults) log(`tool ${r.toolName} → ${JSON.stringify(r.output)}`);
	log(`model: ${result.text}`);
	log(`audit: ${audit.events.map((e) => e.action).join(', ')}`);
}

runIfMain(import.meta.url, main);
