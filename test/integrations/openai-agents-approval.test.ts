import { Agent, run, RunState, setTracingDisabled, tool } from '@openai/agents-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, requireApproval, Warden } from '../../src/index.js';
import { governTool } from '../../src/adapters/openai-agents/index.js';
import { assistantText, functionCall, ScriptedAgentsModel } from '../../examples/support/scriptedAgentsModel.js';

beforeAll(() => setTracingDisabled(true));

function setup() {
	const sink = new MemorySink();
	const warden = new Warden({
		audit: sink,
		contracts: [requireApproval('refund', { when: (call) => Number(call.args['amount']) > 500 })],
	});
	const ran: number[] = [];
	const refund = tool({
		name: 'refund',
		description: 'Refund',
		parameters: z.object({ amount: z.number() }),
		execute: async ({ amount }) => (ran.push(amount), `refunded ${amount}`),
	});
	return { sink, warden, ran, refund: governTool(warden, refund, { approver: 'supervisor' }) };
}

describe('toolwarden/openai-agents approvals through interruptions and RunState', () => {
	it('a held call interrupts the run; approve on a restored RunState and resume: it runs once, recorded', async () => {
		const { sink, warden, ran, refund } = setup();
		const model = new ScriptedAgentsModel([
			functionCall('call-1', 'refund', { amount: 900 }),
			assistantText('Refunded.'),
		]);
		const agent = new Agent({ name: 'support', model, tools: [refund] });
		const first = await run(agent, 'refund order 7');
		expect(first.interruptions).toHaveLength(1);
		expect(ran).toEqual([]);
		expect(sink.events).toEqual([]); // needsApproval previews only
		// The state travels (a database, another request handler) and is restored: needsApproval is asked again.
		const state = await RunState.fromString(agent, first.state.toString());
		for (const item of first.interruptions) state.approve(item);
		const resumed = await run(agent, state);
		expect(resumed.finalOutput).toBe('Refunded.');
		expect(ran).toEqual([900]);
		expect(sink.events.map((e) => [e.action, e.callId, e.approver])).toEqual([
			['call_held', 'call-1', undefined],
			['approval_granted', 'call-1', 'supervisor'],
			['call_allowed', 'call-1', undefined],
			['call_executed', 'call-1', undefined],
		]);
		expect((await warden.approvals.list())[0]).toMatchObject({ status: 'consumed', approver: 'supervisor' });
	});

	it('reject never runs the tool; calls no rule holds never interrupt', async () => {
		const { ran, refund } = setup();
		const model = new ScriptedAgentsModel([
			functionCall('c1', 'refund', { amount: 900 }),
			assistantText('Not refunded.'),
			functionCall('c2', 'refund', { amount: 20 }),
			assistantText('ok'),
		]);
		const agent = new Agent({ name: 'support', model, tools: [refund] });
		const first = await run(agent, 'refund');
		for (const item of first.interruptions) first.state.reject(item);
		const resumed = await run(agent, first.state);
		expect(resumed.finalOutput).toBe('Not refunded.');
		expect(ran).toEqual([]);
		const small = await run(agent, 'small refund');
		expect(small.interruptions).toHaveLength(0);
		expect(ran).toEqual([20]);
	});
});
