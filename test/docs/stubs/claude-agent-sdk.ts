/**
 * Stands in for `@anthropic-ai/claude-agent-sdk` (not installed: its platform binaries weigh hundreds of megabytes).
 * The types are the SDK's published ones, reduced to what a `hooks` option meets (0.3.x `sdk.d.ts`): `HookInput` is a
 * union over every hook event, so a hook typed for tool events only must still be accepted where the SDK puts it.
 * `query()` plays one scripted turn: Claude reads `.env`, then runs a harmless command, firing the hooks as Claude
 * Code does.
 */
type BaseHookInput = { session_id: string; transcript_path: string; cwd: string; permission_mode?: string };
type PreToolUseHookInput = BaseHookInput & {
	hook_event_name: 'PreToolUse';
	tool_name: string;
	tool_input: unknown;
	tool_use_id: string;
};
type PostToolUseHookInput = BaseHookInput & {
	hook_event_name: 'PostToolUse';
	tool_name: string;
	tool_input: unknown;
	tool_response: unknown;
	tool_use_id: string;
};
type PostToolUseFailureHookInput = BaseHookInput & {
	hook_event_name: 'PostToolUseFailure';
	tool_name: string;
	tool_input: unknown;
	tool_use_id: string;
	error: string;
};
type NotificationHookInput = BaseHookInput & { hook_event_name: 'Notification'; message: string; title?: string };
export type HookInput =
	PreToolUseHookInput | PostToolUseHookInput | PostToolUseFailureHookInput | NotificationHookInput;
export type SyncHookJSONOutput = {
	continue?: boolean;
	suppressOutput?: boolean;
	stopReason?: string;
	decision?: 'approve' | 'block';
	systemMessage?: string;
	reason?: string;
	hookSpecificOutput?:
		| {
				hookEventName: 'PreToolUse';
				permissionDecision?: 'allow' | 'deny' | 'ask';
				permissionDecisionReason?: string;
				updatedInput?: Record<string, unknown>;
		  }
		| { hookEventName: 'PostToolUse'; additionalContext?: string }
		| { hookEventName: 'PostToolUseFailure'; additionalContext?: string }
		| { hookEventName: 'UserPromptSubmit' | 'SessionStart'; additionalContext?: string };
};
export type HookJSONOutput = SyncHookJSONOutput | { async: true; asyncTimeout?: number };
export type HookCallback = (
	input: HookInput,
	toolUseID: string | undefined,
	options: { signal: AbortSignal },
) => Promise<HookJSONOutput>;
export interface HookCallbackMatcher {
	matcher?: string;
	hooks: HookCallback[];
	timeout?: number;
}
export type HookEvent = 'PreToolUse' | 'PostToolUse' | 'PostToolUseFailure' | 'Notification';
export interface Options {
	hooks?: Partial<Record<HookEvent, HookCallbackMatcher[]>>;
	cwd?: string;
}
export type SDKMessage = { type: 'assistant' | 'result'; text: string };

export async function* query({ prompt, options }: { prompt: string; options?: Options }): AsyncGenerator<SDKMessage> {
	const base = {
		session_id: 'scripted-session',
		transcript_path: '/tmp/transcript.jsonl',
		cwd: options?.cwd ?? '/repo',
	};
	const { signal } = new AbortController();
	const calls = [
		{ tool_name: 'Read', tool_input: { file_path: '/repo/.env' }, tool_use_id: 'toolu_1' },
		{ tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_2' },
	];
	for (const call of calls) {
		let denied = false;
		for (const matcher of options?.hooks?.PreToolUse ?? []) {
			for (const hook of matcher.hooks) {
				const output = await hook({ ...base, hook_event_name: 'PreToolUse', ...call }, call.tool_use_id, { signal });
				const specific = 'hookSpecificOutput' in output ? output.hookSpecificOutput : undefined;
				denied ||= specific?.hookEventName === 'PreToolUse' && specific.permissionDecision === 'deny';
			}
		}
		if (denied) {
			yield { type: 'assistant', text: `(${call.tool_name} was denied)` };
			continue;
		}
		for (const matcher of options?.hooks?.PostToolUse ?? []) {
			for (const hook of matcher.hooks)
				await hook({ ...base, hook_event_name: 'PostToolUse', ...call, tool_response: 'ok' }, call.tool_use_id, {
					signal,
				});
		}
	}
	yield { type: 'result', text: `Done: ${prompt}` };
}
