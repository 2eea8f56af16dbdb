import { generateText, stepCountIs, tool, type ModelMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, requireApproval, Warden } from '../../src/index.js';
import { governTools } from '../../src/adapters/ai-sdk/index.js';

const usage = {
	inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
	outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const toolCall = (toolCallId: string, toolName: string, input: object) => ({
	content: [{ type: 'tool-call' as const, toolCallId, toolName, input: JSON.stringify(input) }],
	finishReason: { unified: 'tool-calls' as const, raw: undefined },
	usage,
	warnings: [],
});
const text = (value: string) => ({
	content: [{ type: 'text' as const, text: value }],
	finishReason: { unified: 'stop' as const, raw: undefined },
	usage,
	warnings: [],
});

function setup() {
	const sink = new MemorySink();
	const warden = new Warden({
		audit: sink,
		contracts: [
			requireApproval('refund', {
				when: (call) => Number(call.args['amount']) > 500,
				message: 'Refunds over $500 need a supervisor.',
			}),
		],
	});
	const ran: number[] = [];
	const tools = governTools(
		warden,
		{
			refund: tool({
				description: 'Refund',
				inputSchema: z.object({ amount: z.number() }),
				execute: async ({ amount }) => (ran.push(amount), `refunded ${amount}`),
			}),
			lookup: tool({
				description: 'Lookup',
				inputSchema: z.object({ id: z.string() }),
				execute: async ({ id }) => `order ${id}`,
			}),
		},
		{ approver: 'supervisor' },
	);
	return { sink, warden, tools, ran };
}

/** The approval requests of a result, answered. */
function answer(messages: ModelMessage[], approved: boolean, reason?: string): ModelMessage[] {
	const parts = messages.flatMap((m): unknown[] => (Array.isArray(m.content) ? (m.content as unknown[]) : []));
	const requests = parts.filter(
		(p): p is { type: string; approvalId: string } => (p as { type?: unknown }).type === 'tool-approval-request',
	);
	const responses = requests.map((p) => ({
		type: 'tool-approval-response' as const,
		approvalId: p.approvalId,
		approved,
		...(reason === undefined ? {} : { reason }),
	}));
	return [...messages, { role: 'tool', content: responses }];
}

describe('toolwarden/ai-sdk approvals through needsApproval', () => {
	it('a held call becomes a tool-approval-request; approving it runs the tool once, recorded as the approver', async () => {
		const { sink, warden, tools, ran } = setup();
		const model = new MockLanguageModelV3({
			doGenerate: [toolCall('call-1', 'refund', { amount: 900 }), text('Refunded.')],
		});
		const first = await generateText({ model, tools, prompt: 'refund order 7', stopWhen: stepCountIs(5) });
		expect(first.content.some((p) => p.type === 'tool-approval-request')).toBe(true);
		expect(ran).toEqual([]);
		expect(sink.events).toEqual([]); // needsApproval only previews: nothing happened yet
		const messages = answer([{ role: 'user', content: 'refund order 7' }, ...first.response.messages], true);
		const second = await generateText({ model, tools, messages, stopWhen: stepCountIs(5) });
		expect(second.text).toBe('Refunded.');
		expect(ran).toEqual([900]);
		expect(sink.events.map((e) => [e.action, e.callId, e.approver])).toEqual([
			['call_held', 'call-1', undefined],
			['approval_granted', 'call-1', 'supervisor'],
			['call_allowed', 'call-1', undefined],
			['call_executed', 'call-1', undefined],
		]);
		const [request] = await warden.approvals.list();
		expect(request).toMatchObject({ status: 'consumed', approver: 'supervisor' });
	});

	it('a rejection never runs the tool; calls no rule holds never ask', async () => {
		const { tools, ran } = setup();
		const model = new MockLanguageModelV3({
			doGenerate: [toolCall('c1', 'refund', { amount: 900 }), text('Not refunded.')],
		});
		const first = await generateText({ model, tools, prompt: 'refund', stopWhen: stepCountIs(5) });
		const messages = answer([{ role: 'user', content: 'refund' }, ...first.response.messages], false, 'No.');
		await generateText({ model, tools, messages, stopWhen: stepCountIs(5) });
		expect(ran).toEqual([]);
		const small = new MockLanguageModelV3({ doGenerate: [toolCall('c2', 'refund', { amount: 20 }), text('ok')] });
		const result = await generateText({ model: small, tools, prompt: 'refund', stopWhen: stepCountIs(5) });
		expect(result.content.some((p) => p.type === 'tool-approval-request')).toBe(false);
		expect(ran).toEqual([20]);
	});

	it("an approver who is the call's own principal is refused: the tool does not run", async () => {
		const warden = new Warden({ contracts: [requireApproval('refund')] });
		let runs = 0;
		const tools = governTools(
			warden,
			{
				refund: tool({
					description: 'Refund',
					inputSchema: z.object({ amount: z.number() }),
					execute: async () => ++runs,
				}),
			},
			{ principal: { userId: 'me' }, approver: 'me' },
		);
		const model = new MockLanguageModelV3({ doGenerate: [toolCall('c1', 'refund', { amount: 1 }), text('done')] });
		const first = await generateText({ model, tools, prompt: 'x', stopWhen: stepCountIs(5) });
		const messages = answer([{ role: 'user', content: 'x' }, ...first.response.messages], true);
		await generateText({ model, tools, messages, stopWhen: stepCountIs(5) });
		expect(runs).toBe(0);
		expect(JSON.stringify(model.doGenerateCalls.at(-1)?.prompt)).toContain('could not be recorded');
	});
});
