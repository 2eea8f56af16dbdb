// Type-checked against the real published SDK types (npm run typecheck:claude, after scripts/fetch-type-deps.sh);
// run by vitest like any test (the SDK imports are types only, erased at run time).
import type {
	HookCallback,
	HookCallbackMatcher,
	HookEvent,
	HookInput,
	HookJSONOutput,
	Options,
	PostToolUseFailureHookInput,
	PostToolUseHookInput,
	PreToolUseHookInput,
} from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import { MemorySink, postcondition, precondition, Verdict, Warden } from '../../../src/index.js';
import { wardenHooks } from '../../../src/adapters/claude-agent-sdk/index.js';

const base = { session_id: 's-1', transcript_path: '/tmp/t.jsonl', cwd: '/work' };
const signal = new AbortController().signal;

/** The first callback of an event, as the SDK holds it: its own HookCallback type. */
function callbackOf(hooks: Partial<Record<HookEvent, HookCallbackMatcher[]>>, event: HookEvent): HookCallback {
	const callback = hooks[event]?.[0]?.hooks[0];
	if (callback === undefined) throw new Error(`no ${event} hook`);
	return callback;
}

describe('wardenHooks through the published Claude Agent SDK types', () => {
	it('is the SDK hooks option; its callbacks take every HookInput and answer HookJSONOutput', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [
				precondition('Read', (call) =>
					String(call.filePath).endsWith('.env')
						? Verdict.fail('No .env files. Ask the user for the value.')
						: Verdict.pass(),
				),
				postcondition('Read', (_call, result) =>
					result === '' ? Verdict.fail('The file was empty.') : Verdict.pass(),
				),
			],
		});
		// The assignments are the type test: the adapter's value must be what `query({ options })` accepts.
		const options: Options = { hooks: wardenHooks(warden) };
		const hooks = options.hooks ?? {};
		const pre = callbackOf(hooks, 'PreToolUse');
		const post = callbackOf(hooks, 'PostToolUse');
		const failure = callbackOf(hooks, 'PostToolUseFailure');

		const deniedInput: PreToolUseHookInput = {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Read',
			tool_input: { file_path: '/app/.env' },
			tool_use_id: 'toolu_1',
		};
		const denied: HookJSONOutput = await pre(deniedInput, 'toolu_1', { signal });
		expect(denied).toEqual({
			hookSpecificOutput: {
				hookEventName: 'PreToolUse',
				permissionDecision: 'deny',
				permissionDecisionReason: 'No .env files. Ask the user for the value.',
			},
		});

		const read: PreToolUseHookInput = {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Read',
			tool_input: { file_path: 'a.txt' },
			tool_use_id: 'toolu_2',
		};
		expect(await pre(read, 'toolu_2', { signal })).toEqual({});
		const done: PostToolUseHookInput = { ...read, hook_event_name: 'PostToolUse', tool_response: '' };
		expect(await post(done, 'toolu_2', { signal })).toEqual({
			hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'The file was empty.' },
		});

		const bash: PreToolUseHookInput = {
			...base,
			hook_event_name: 'PreToolUse',
			tool_name: 'Bash',
			tool_input: { command: 'ls' },
			tool_use_id: 'toolu_3',
		};
		await pre(bash, 'toolu_3', { signal });
		const failed: PostToolUseFailureHookInput = { ...bash, hook_event_name: 'PostToolUseFailure', error: 'exit 1' };
		expect(await failure(failed, 'toolu_3', { signal })).toEqual({});

		// Another event's input reaching a tool hook (the SDK types allow it) is ignored.
		const other: HookInput = { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'hi' };
		expect(await pre(other, undefined, { signal })).toEqual({});

		expect(sink.events.map((e) => [e.callId, e.action])).toEqual([
			['toolu_1', 'call_denied'],
			['toolu_2', 'call_allowed'],
			['toolu_2', 'call_executed'],
			['toolu_2', 'postcondition_warning'],
			['toolu_3', 'call_allowed'],
			['toolu_3', 'call_failed'],
		]);
	});
});
