/**
 * OpenAI Agents SDK: governTools() wraps function tools; a scripted model drives a real run(agent, ...).
 * Run: npx tsx examples/openai-agents.ts
 */
import { Agent, run, setTracingDisabled, tool } from '@openai/agents-core';
import { sideEffectLedger, Warden } from 'toolwarden';
import { governTools } from 'toolwarden/openai-agents';
import { z } from 'zod';
import { runIfMain } from './run-main.js';
import { assistantText, functionCall, ScriptedAgentsModel } from './support/scriptedAgentsModel.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	setTracingDisabled(true); // offline: the SDK would otherwise export its traces to the console
	const warden = new Warden({ contracts: [sideEffectLedger()], tools: { send_email: { sideEffect: 'irreversible' } } });
	let sent = 0;
	const sendEmail = tool({
		name: 'send_email',
		description: 'Send an email',
		parameters: z.object({ to: z.string(), subject: z.string() }),
		execute: async ({ to }) => (sent++, `sent to ${to}`),
	});
	// The model sends the same email twice: the ledger replays the second instead of sending it again.
	const model = new ScriptedAgentsModel([
		functionCall('e1', 'send_email', { to: 'ann@example.com', subject: 'Your refund' }),
		functionCall('e2', 'send_email', { to: 'ann@example.com', subject: 'Your refund' }),
		assistantText('Ann has been told.'),
	]);
	const agent = new Agent({ name: 'support', model, tools: governTools(warden, [sendEmail]) });
	const result = await run(agent, 'Tell Ann about her refund.');
	log(`emails actually sent: ${sent}`);
	log(`model: ${String(result.finalOutput)}`);
	const report = await warden.report();
	log(`replayed: ${report.replayed}, side effects prevented: ${report.sideEffects.prevented}`);
}

runIfMain(import.meta.url, main);
