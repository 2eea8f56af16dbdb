import { describe, expect, it } from 'vitest';
import { MemorySink, postcondition, precondition, sideEffectLedger, Verdict, Warden } from '../../src/index.js';
import { wardenHooks, type HookCallback, type ToolHookInput } from '../../src/adapters/claude-agent-sdk/index.js';

// The SDK's side, played by the test: hook inputs shaped as the SDK's PreToolUseHookInput, PostToolUseHookInput and
// PostToolUseFailureHookInput declare them.
const base = { session_id: 'claude-session-1', transcript_path: '/tmp/t.jsonl', cwd: '/work' };
const signal = new AbortController().signal;
const fire = (hook: HookCallback | undefined, input: ToolHookInput) =>
	(hook as HookCallback)(input, input.tool_use_id as string, { signal });

describe('toolwarden/claude-agent-sdk hooks', () => {
	it('PreToolUse denies with the reason; allowed calls complete on PostToolUse with warnings as additionalContext', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [
				precondition('Read', (call) =>
					String(call.filePath).endsWith('.env')
						? Verdict.fail('Reading .env files is not allowed. Ask the user for the value.')
						: Verdict.pass(),
				),
				postcondition('Read', (_call, result) =>
					String(result).length > 0 ? Verdict.pass() : Verdict.fail('The file was empty; check the path.'),
				),
			],
		});
		const hooks = wardenHooks(warden);
		expect(Object.keys(hooks)).toEqual(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);
		expect(hooks.PreToolUse[0]?.onFailure).toBe('block');
		const [pre] = hooks.PreToolUse[0]?.hooks ?? [];
		const [post] = hooks.PostToolUse[0]?.hooks ?? [];

		const denied = await fire(pre, {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Read',
			tool_input: { file_path: '/app/.env' },
			tool_use_id: 'toolu_1',
		});
		expect(denied).toEqual({
			hookSpecificOutput: {
				hookEventName: 'PreToolUse',
				permissionDecision: 'deny',
				permissionDecisionReason: 'Reading .env files is not allowed. Ask the user for the value.',
			},
		});

		expect(
			await fire(pre, {
				...base,
				hook_event_name: 'PreToolUse',
				tool_name: 'Read',
				tool_input: { file_path: 'empty.txt' },
				tool_use_id: 'toolu_2',
			}),
		).toEqual({});
		expect(hooks.pending()).toBe(1);
		const after = await fire(post, {
			...base,
			hook_event_name: 'PostToolUse',
			tool_name: 'Read',
			tool_input: { file_path: 'empty.txt' },
			tool_use_id: 'toolu_2',
			tool_response: '',
		});
		expect(after).toEqual({
			hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'The file was empty; check the path.' },
		});
		expect(hooks.pending()).toBe(0);
		expect(sink.events.map((e) => [e.callId, e.sessionId, e.action])).toEqual([
			['toolu_1', 'claude-session-1', 'call_denied'],
			['toolu_2', 'claude-session-1', 'call_allowed'],
			['toolu_2', 'claude-session-1', 'call_executed'],
			['toolu_2', 'claude-session-1', 'postcondition_warning'],
		]);
	});

	it('records failures through PostToolUseFailure', async () => {
		const sink = new MemorySink();
		const hooks = wardenHooks(new Warden({ audit: sink }));
		await fire(hooks.PreToolUse[0]?.hooks[0], {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Bash',
			tool_input: { command: 'npm test' },
			tool_use_id: 'toolu_3',
		});
		await fire(hooks.PostToolUseFailure[0]?.hooks[0], {
			...base,
			hook_event_name: 'PostToolUseFailure',
			tool_name: 'Bash',
			tool_input: { command: 'npm test' },
			tool_use_id: 'toolu_3',
			error: 'exit code 1',
		});
		expect(sink.events.at(-1)).toMatchObject({
			action: 'call_failed',
			error: { type: 'Error', message: 'exit code 1' },
			sideEffect: 'irreversible',
			toolArgs: { command: 'npm test' },
		});
	});

	it('cleans up calls whose post event never arrives (no leak), as possibly executed writes', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			tools: { Write: { sideEffect: 'write' } },
			contracts: [sideEffectLedger()],
		});
		const hooks = wardenHooks(warden, { pendingTimeoutMs: 30 });
		await fire(hooks.PreToolUse[0]?.hooks[0], {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Write',
			tool_input: { file_path: 'a.txt', content: 'x' },
			tool_use_id: 'toolu_4',
		});
		expect(hooks.pending()).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(hooks.pending()).toBe(0);
		expect(sink.events.at(-1)).toMatchObject({
			action: 'call_failed',
			error: { message: expect.stringMatching(/No PostToolUse/) as string },
		});
		// The ledger now treats the write as ambiguous: an identical write is denied until reconciled.
		const again = await fire(hooks.PreToolUse[0]?.hooks[0], {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Write',
			tool_input: { file_path: 'a.txt', content: 'x' },
			tool_use_id: 'toolu_5',
		});
		expect(again.hookSpecificOutput).toMatchObject({
			permissionDecision: 'deny',
			permissionDecisionReason: expect.stringMatching(/may have taken effect/) as string,
		});
	});

	it('observe mode never denies; other hook events pass through', async () => {
		const hooks = wardenHooks(
			new Warden({ mode: 'observe', contracts: [precondition('*', () => Verdict.fail('would block'))] }),
		);
		expect(
			await fire(hooks.PreToolUse[0]?.hooks[0], {
				...base,
				hook_event_name: 'PreToolUse',
				tool_name: 'Read',
				tool_input: {},
				tool_use_id: 'toolu_6',
			}),
		).toEqual({});
		expect(
			await fire(hooks.PreToolUse[0]?.hooks[0], {
				...base,
				hook_event_name: 'Notification',
				tool_name: '',
				tool_input: {},
				tool_use_id: '',
			}),
		).toEqual({});
		expect(() => wardenHooks(new Warden(), { pendingTimeout: 5 } as never)).toThrow(/Did you mean "pendingTimeoutMs"/);
	});
});
