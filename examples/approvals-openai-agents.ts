/**
 * Human approval in the OpenAI Agents SDK's own flow: a held call is one of `result.interruptions`; the run's state is
 * saved, restored (as another request handler would), approved with `state.approve(item)` and resumed; the call runs
 * once, recorded as the approver. Offline (scripted model). Run: npx tsx examples/approvals-openai-agents.ts
 */
import { Agent, run, RunState, setTracingDisabled, tool } from '@openai/agents-core';
import { MemorySink, requireApproval, Warden } from 'toolwarden';
import { governTool } from 'toolwarden/openai-agents';
import { z } from 'zod';
import { runIfMain } from './run-main.js';
import { assistantText, functionCall, ScriptedAgentsModel } from './support/scriptedAgentsModel.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	setTracingDisabled(true);
	const audit = new MemorySink();
	const warden = new Warden({
		audit,
		contracts: [requireApproval('refund', { when: (call) => Number(call.args['amountUsd']) > 100 })],
	});
	const refund = tool({
		name: 'refund',
		description: 'Refund an order',
		parameters: z.object({ orderId: z.string(), amountUsd: z.number() }),
		execute: async ({ orderId, amountUsd }) => `refunded $${amountUsd} on ${orderId}`,
	});
	const model = new ScriptedAgentsModel([
		functionCall('c1', 'refund', { orderId: 'A-1', amountUsd: 240 }),
		assistantText('Refunded $240.'),
	]);
	const agent = new Agent({
		name: 'support',
		model,
		tools: [governTool(warden, refund, { approver: 'sam@support.example' })],
	});

	const first = await run(agent, 'Refund order A-1 ($240).');
	log(`interruptions: ${first.interruptions.length}`);
	const saved = first.state.toString(); // e.g. into a database while a person decides
	const state = await RunState.fromString(agent, saved);
	for (const item of state.getInterruptions()) state.approve(item);
	const resumed = await run(agent, state);
	log(`model: ${String(resumed.finalOutput)}`);
	log(
		`audit: ${audit.events.map((e) => (e.approver === undefined ? e.action : `${e.action} by ${e.approver}`)).join(', ')}`,
	);
}

runIfMain(import.meta.url, main);
