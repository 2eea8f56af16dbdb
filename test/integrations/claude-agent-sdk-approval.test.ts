import { describe, expect, it } from 'vitest';
import { MemorySink, requireApproval, Warden } from '../../src/index.js';
import { wardenHooks, type HookCallback, type ToolHookInput } from '../../src/adapters/claude-agent-sdk/index.js';

// The SDK's side, played by the test as Claude Code runs it: PreToolUse, then (for 'ask') the permission step through
// canUseTool, then the tool, then PostToolUse.
const base = { session_id: 'claude-session-1', transcript_path: '/tmp/t.jsonl', cwd: '/work' };
const signal = new AbortController().signal;
const fire = (hook: HookCallback | undefined, input: ToolHookInput) =>
	(hook as HookCallback)(input, typeof input.tool_use_id === 'string' ? input.tool_use_id : undefined, { signal });
const bash = (id: string) => ({
	...base,
	tool_name: 'Bash',
	tool_input: { command: 'kubectl rollout restart deploy/api' },
	tool_use_id: id,
});

function setup(approver?: string) {
	const sink = new MemorySink();
	const warden = new Warden({
		audit: sink,
		contracts: [requireApproval('Bash', { message: 'Commands on the cluster need an operator.' })],
	});
	const hooks = wardenHooks(warden, { ...(approver === undefined ? {} : { approver }), principal: { userId: 'dev' } });
	const [pre] = hooks.PreToolUse[0]?.hooks ?? [];
	const [post] = hooks.PostToolUse[0]?.hooks ?? [];
	return { sink, warden, hooks, pre, post };
}

describe('toolwarden/claude-agent-sdk approvals through permissionDecision ask and canUseTool', () => {
	it('a held call asks; canUseTool approves it (recorded before the tool runs); PostToolUse completes it', async () => {
		const { sink, warden, hooks, pre, post } = setup('operator');
		const asked = await fire(pre, { ...bash('toolu_1'), hook_event_name: 'PreToolUse' });
		expect(asked.hookSpecificOutput).toMatchObject({
			permissionDecision: 'ask',
			permissionDecisionReason: expect.stringMatching(/need an operator/) as string,
		});
		const seen: unknown[] = [];
		const canUseTool = hooks.canUseTool(async (request) => (seen.push(request), { approved: true }));
		const permission = await canUseTool(
			'Bash',
			{ command: 'kubectl rollout restart deploy/api' },
			{ signal, toolUseID: 'toolu_1' },
		);
		expect(permission).toEqual({ behavior: 'allow', updatedInput: { command: 'kubectl rollout restart deploy/api' } });
		expect(seen).toMatchObject([{ toolName: 'Bash', status: 'pending' }]);
		await fire(post, { ...bash('toolu_1'), hook_event_name: 'PostToolUse', tool_response: 'restarted' });
		expect(sink.events.map((e) => [e.action, e.callId, e.approver])).toEqual([
			['call_held', 'toolu_1', undefined],
			['approval_granted', 'toolu_1', 'operator'],
			['call_allowed', 'toolu_1', undefined],
			['call_executed', 'toolu_1', undefined],
		]);
		expect((await warden.approvals.list())[0]?.status).toBe('consumed');
		expect(hooks.pending()).toBe(0);
	});

	it('canUseTool rejecting (or throwing) denies, sticky, and the tool is not run', async () => {
		const { warden, hooks, pre } = setup();
		await fire(pre, { ...bash('toolu_2'), hook_event_name: 'PreToolUse' });
		const permission = await hooks.canUseTool(async () => ({ approved: false, reason: 'Not during the incident.' }))(
			'Bash',
			{},
			{ signal, toolUseID: 'toolu_2' },
		);
		expect(permission).toEqual({ behavior: 'deny', message: 'Not during the incident. The call was not run.' });
		expect((await warden.approvals.list())[0]).toMatchObject({ status: 'denied', approver: 'claude-agent-sdk' });
		const again = await fire(pre, { ...bash('toolu_3'), hook_event_name: 'PreToolUse' });
		expect(again.hookSpecificOutput).toMatchObject({
			permissionDecision: 'deny',
			permissionDecisionReason: expect.stringMatching(/Not during the incident/) as string,
		});
		const { hooks: h2, pre: p2 } = setup();
		await fire(p2, { ...bash('toolu_4'), hook_event_name: 'PreToolUse' });
		const thrown = await h2.canUseTool(async () => {
			throw new Error('ui crashed');
		})('Bash', {}, { signal, toolUseID: 'toolu_4' });
		expect(thrown.behavior).toBe('deny');
	});

	it("approved in Claude Code's own prompt (no canUseTool): the approval is recorded when PostToolUse arrives", async () => {
		const { sink, pre, post } = setup();
		await fire(pre, { ...bash('toolu_5'), hook_event_name: 'PreToolUse' });
		await fire(post, { ...bash('toolu_5'), hook_event_name: 'PostToolUse', tool_response: 'ok' });
		expect(sink.events.map((e) => e.action)).toEqual([
			'call_held',
			'approval_granted',
			'call_allowed',
			'call_executed',
		]);
	});

	it("the call's own principal cannot approve through the adapter; other permission prompts go to `otherwise`", async () => {
		const { hooks, pre } = setup('dev');
		await fire(pre, { ...bash('toolu_6'), hook_event_name: 'PreToolUse' });
		const permission = await hooks.canUseTool(async () => ({ approved: true }))(
			'Bash',
			{},
			{ signal, toolUseID: 'toolu_6' },
		);
		expect(permission).toMatchObject({
			behavior: 'deny',
			message: expect.stringMatching(/could not be recorded/) as string,
		});
		const other = await hooks.canUseTool(
			async () => ({ approved: true }),
			async () => ({ behavior: 'allow', updatedInput: {} }),
		)('Write', {}, { signal, toolUseID: 'x' });
		expect(other.behavior).toBe('allow');
		expect((await hooks.canUseTool(async () => ({ approved: true }))('Write', {}, { signal })).behavior).toBe('deny');
	});
});
