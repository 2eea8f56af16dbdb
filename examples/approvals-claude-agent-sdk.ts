/**
 * Human approval in the Claude Agent SDK's own flow: a held call answers PreToolUse with `permissionDecision: 'ask'`,
 * and `canUseTool: hooks.canUseTool(decide)` records the person's decision before the tool runs. The SDK's side is
 * played here (offline); with the SDK: `query({ prompt, options: { hooks, canUseTool } })`.
 * Run: npx tsx examples/approvals-claude-agent-sdk.ts
 */
import { MemorySink, requireApproval, Warden } from 'toolwarden';
import { wardenHooks, type HookCallback } from 'toolwarden/claude-agent-sdk';
import { runIfMain } from './run-main.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const audit = new MemorySink();
	const warden = new Warden({
		audit,
		contracts: [requireApproval('Bash', { when: (call) => String(call.args['command']).startsWith('kubectl') })],
	});
	const hooks = wardenHooks(warden, { approver: 'oncall@example.com' });
	const canUseTool = hooks.canUseTool(async (request) => ({ approved: request.toolName === 'Bash' }));

	// What Claude Code does for one tool call: PreToolUse, the permission step ('ask'), the tool, PostToolUse.
	const signal = new AbortController().signal;
	const input = {
		session_id: 's1',
		tool_name: 'Bash',
		tool_input: { command: 'kubectl rollout restart deploy/api' },
		tool_use_id: 'toolu_1',
	};
	const pre = hooks.PreToolUse[0]?.hooks[0] as HookCallback;
	const post = hooks.PostToolUse[0]?.hooks[0] as HookCallback;
	const decision = await pre({ ...input, hook_event_name: 'PreToolUse' }, 'toolu_1', { signal });
	log(`PreToolUse: ${JSON.stringify(decision.hookSpecificOutput)}`);
	const permission = await canUseTool('Bash', input.tool_input, { signal, toolUseID: 'toolu_1' });
	log(`canUseTool: ${permission.behavior}`);
	await post({ ...input, hook_event_name: 'PostToolUse', tool_response: 'deployment.apps/api restarted' }, 'toolu_1', {
		signal,
	});
	log(
		`audit: ${audit.events.map((e) => (e.approver === undefined ? e.action : `${e.action} by ${e.approver}`)).join(', ')}`,
	);
}

runIfMain(import.meta.url, main);
