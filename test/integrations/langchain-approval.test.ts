import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool } from '@langchain/core/tools';
import { Command, MemorySaver } from '@langchain/langgraph';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, requireApproval, Warden } from '../../src/index.js';
import { wardenMiddleware, type WardenHITLRequest } from '../../src/adapters/langchain/index.js';

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
	const refund = tool(async ({ amount }: { amount: number }) => (ran.push(amount), `refunded ${amount}`), {
		name: 'refund',
		description: 'Refund',
		schema: z.object({ amount: z.number() }),
	});
	const model = fakeModel()
		.respondWithTools([{ name: 'refund', args: { amount: 900 }, id: 'call-1' }])
		.respond(new AIMessage('Done.'));
	const agent = createAgent({
		model,
		tools: [refund],
		middleware: [wardenMiddleware(warden, { approver: 'supervisor' })],
		checkpointer: new MemorySaver(),
	});
	return { sink, warden, ran, agent };
}

const interruptOf = (result: unknown): WardenHITLRequest => {
	const interrupts = (result as { __interrupt__?: Array<{ value: WardenHITLRequest }> }).__interrupt__ ?? [];
	expect(interrupts).toHaveLength(1);
	return (interrupts[0] as { value: WardenHITLRequest }).value;
};

describe('toolwarden/langchain approvals through LangGraph interrupts', () => {
	it('a held call interrupts with a HITL request; resuming with approve runs it once, recorded as the approver', async () => {
		const { sink, warden, ran, agent } = setup();
		const config = { configurable: { thread_id: 't1' } };
		const first = await agent.invoke({ messages: [new HumanMessage('refund order 7')] }, config);
		const request = interruptOf(first);
		expect(request).toMatchObject({
			actionRequests: [{ name: 'refund', args: { amount: 900 }, description: 'Refunds over $500 need a supervisor.' }],
			reviewConfigs: [{ actionName: 'refund', allowedDecisions: ['approve', 'reject'] }],
		});
		expect(ran).toEqual([]);
		expect((await warden.approvals.get(request.approval.id))?.status).toBe('pending');
		const resumed = await agent.invoke(new Command({ resume: { decisions: [{ type: 'approve' }] } }), config);
		expect(resumed.messages.at(-1)?.content).toBe('Done.');
		expect(ran).toEqual([900]);
		expect(await warden.approvals.get(request.approval.id)).toMatchObject({
			status: 'consumed',
			approver: 'supervisor',
		});
		// The tool node re-ran on resume: the identical held call found the same request (no second one, nothing reserved).
		expect(await warden.approvals.list()).toHaveLength(1);
		expect(sink.events.map((e) => e.action)).toEqual([
			'call_held',
			'call_held',
			'approval_granted',
			'call_allowed',
			'call_executed',
		]);
		expect(new Set(sink.events.map((e) => e.approvalId))).toEqual(new Set([request.approval.id]));
	});

	it('resuming with reject records a sticky denial and answers the model; the tool never runs', async () => {
		const { warden, ran, agent } = setup();
		const config = { configurable: { thread_id: 't2' } };
		const request = interruptOf(await agent.invoke({ messages: [new HumanMessage('refund')] }, config));
		const resumed = await agent.invoke(
			new Command({ resume: { decisions: [{ type: 'reject', message: 'Customer is not eligible.' }] } }),
			config,
		);
		expect(ran).toEqual([]);
		const answer = resumed.messages.find((m) => ToolMessage.isInstance(m));
		expect(answer?.content).toMatch(/Customer is not eligible/);
		expect(await warden.approvals.get(request.approval.id)).toMatchObject({
			status: 'denied',
			approver: 'supervisor',
			reason: 'Customer is not eligible.',
		});
	});

	it('a resume value that is not a decision fails closed', async () => {
		const { ran, agent } = setup();
		const config = { configurable: { thread_id: 't3' } };
		await agent.invoke({ messages: [new HumanMessage('refund')] }, config);
		const resumed = await agent.invoke(new Command({ resume: 'yes please' }), config);
		expect(ran).toEqual([]);
		expect(resumed.messages.find((m) => ToolMessage.isInstance(m))?.content).toMatch(/not run/);
	});
});
