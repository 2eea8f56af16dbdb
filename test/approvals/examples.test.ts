import { describe, expect, it } from 'vitest';
import { main as aiSdk } from '../../examples/approvals-ai-sdk.js';
import { main as blocking } from '../../examples/approvals-blocking.js';
import { main as claudeAgentSdk } from '../../examples/approvals-claude-agent-sdk.js';
import { main as langchain } from '../../examples/approvals-langchain.js';
import { main as openaiAgents } from '../../examples/approvals-openai-agents.js';
import { main as resumable } from '../../examples/approvals-resumable.js';

async function output(main: (log: (line: string) => void) => Promise<void>): Promise<string[]> {
	const lines: string[] = [];
	await main((line) => lines.push(line));
	return lines;
}

describe('approval examples', () => {
	it('approvals-blocking: small refunds run, a handler approves one and denies another', async () => {
		expect(await output(blocking)).toEqual([
			'refunded $40',
			'refunded $400',
			'denied (approval): A person denied this call (sam@support.example): Over $1000 goes to finance. Do not retry it; do something else or ask the user.',
			'audit: call_allowed, call_executed, call_held, approval_granted, call_allowed, call_executed, call_held, approval_denied, call_denied',
		]);
	});

	it('approvals-resumable: held, approved by an operator, the retry runs once, the next is held again', async () => {
		const lines = await output(resumable);
		expect(lines[0]).toMatch(
			/^held: A person must approve this call to "deploy" before it runs\. \(request [0-9a-f]{8}…\)$/,
		);
		expect(lines.slice(1)).toEqual([
			'pending: deploy {"service":"api","version":"2.4.1"} in ticket-42',
			'deployed api@2.4.1',
			'grant: consumed',
			'the next identical deploy is held again',
		]);
	});

	const flow = 'audit: call_held, approval_granted by sam@support.example, call_allowed, call_executed';
	it('approvals-ai-sdk: a tool-approval-request, approved, runs once', async () => {
		expect(await output(aiSdk)).toEqual(['approval requests: 1', 'model: Refunded $240.', flow]);
	});

	it('approvals-openai-agents: an interruption, approved on a restored RunState, runs once', async () => {
		expect(await output(openaiAgents)).toEqual(['interruptions: 1', 'model: Refunded $240.', flow]);
	});

	it('approvals-langchain: an interrupt, resumed with approve, runs once', async () => {
		expect(await output(langchain)).toEqual([
			'interrupted: refund {"orderId":"A-1","amountUsd":240}',
			'model: Refunded $240.',
			'audit: call_held, call_held, approval_granted by sam@support.example, call_allowed, call_executed',
		]);
	});

	it('approvals-claude-agent-sdk: ask, canUseTool approves, the tool runs', async () => {
		const lines = await output(claudeAgentSdk);
		expect(lines[0]).toMatch(/"permissionDecision":"ask"/);
		expect(lines.slice(1)).toEqual([
			'canUseTool: allow',
			'audit: call_held, approval_granted by oncall@example.com, call_allowed, call_executed',
		]);
	});
});
