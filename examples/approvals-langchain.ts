/**
 * Human approval in LangChain's own flow: a held call interrupts the agent (a checkpointer keeps the run) with a
 * human-in-the-loop request; `Command({ resume: { decisions: [{ type: 'approve' }] } })` resumes it and the call runs
 * once, recorded as the approver. Offline (fake model). Run: npx tsx examples/approvals-langchain.ts
 */
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool } from '@langchain/core/tools';
import { Command, MemorySaver } from '@langchain/langgraph';
import { createAgent } from 'langchain';
import { MemorySink, requireApproval, Warden } from 'toolwarden';
import { wardenMiddleware, type WardenHITLRequest } from 'toolwarden/langchain';
import { z } from 'zod';
import { runIfMain } from './run-main.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const audit = new MemorySink();
	const warden = new Warden({
		audit,
		contracts: [requireApproval('refund', { when: (call) => Number(call.args['amountUsd']) > 100 })],
	});
	const refund = tool(
		async ({ orderId, amountUsd }: { orderId: string; amountUsd: number }) => `refunded $${amountUsd} on ${orderId}`,
		{
			name: 'refund',
			description: 'Refund an order',
			schema: z.object({ orderId: z.string(), amountUsd: z.number() }),
		},
	);
	const model = fakeModel()
		.respondWithTools([{ name: 'refund', args: { orderId: 'A-1', amountUsd: 240 }, id: 'c1' }])
		.respond(new AIMessage('Refunded $240.'));
	const agent = createAgent({
		model,
		tools: [refund],
		middleware: [wardenMiddleware(warden, { approver: 'sam@support.example' })],
		checkpointer: new MemorySaver(),
	});
	const config = { configurable: { thread_id: 'ticket-42' } };

	const first = await agent.invoke({ messages: [new HumanMessage('Refund order A-1 ($240).')] }, config);
	const [pending] = (first as { __interrupt__?: Array<{ value: WardenHITLRequest }> }).__interrupt__ ?? [];
	log(`interrupted: ${pending?.value.actionRequests.map((a) => `${a.name} ${JSON.stringify(a.args)}`).join(', ')}`);
	const resumed = await agent.invoke(new Command({ resume: { decisions: [{ type: 'approve' }] } }), config);
	log(`model: ${resumed.messages.at(-1)?.text ?? ''}`);
	log(
		`audit: ${audit.events.map((e) => (e.approver === undefined ? e.action : `${e.action} by ${e.approver}`)).join(', ')}`,
	);
}

runIfMain(import.meta.url, main);
