/**
 * `toolwarden/claude-agent-sdk`: governs the tools of a Claude Agent SDK session through its hooks.
 *
 * Typed structurally against the SDK's published hook types (`PreToolUseHookInput`, `PostToolUseHookInput`,
 * `PostToolUseFailureHookInput`, `HookCallbackMatcher`), so this module needs no install of the SDK, whose platform
 * binaries are hundreds of megabytes.
 *
 * @example
 * ```ts
 * import { query } from '@anthropic-ai/claude-agent-sdk';
 * import { wardenHooks } from 'toolwarden/claude-agent-sdk';
 *
 * for await (const message of query({ prompt, options: { hooks: wardenHooks(warden) } })) { ... }
 * ```
 *
 * @module
 */
import { checkKeys, checkLimit } from '../../_internal/validate.js';
import type { GovernedCall } from '../../warden/GovernedCall.js';
import type { Warden } from '../../warden/Warden.js';
import { asText, callOptions, denialOf, type AdapterOptions } from '../shared/governedExecute.js';
import { toolArgs } from '../shared/runGoverned.js';
import { hasSideEffect } from '../../envelope/hasSideEffect.js';
import { PermissionGate } from './permissionGate.js';

export type { CanUseTool, PermissionDecision, PermissionResult } from './permissionGate.js';

/**
 * Any hook input of the SDK (its `HookInput` union: tool events and every other event); the adapter acts only on
 * `PreToolUse`, `PostToolUse` and `PostToolUseFailure` and reads these fields, checking their types at run time. The
 * tool fields are `unknown` so that every member of the SDK's union is assignable (the SDK types a callback's input as
 * the whole union).
 */
export interface ToolHookInput {
	readonly hook_event_name: string;
	readonly session_id: string;
	readonly tool_name?: unknown;
	readonly tool_input?: unknown;
	readonly tool_use_id?: unknown;
	readonly tool_response?: unknown;
	readonly error?: unknown;
}

/** What a hook callback answers (a subset of the SDK's `SyncHookJSONOutput`). */
export interface HookOutput {
	readonly hookSpecificOutput?:
		| {
				readonly hookEventName: 'PreToolUse';
				readonly permissionDecision: 'deny' | 'ask';
				readonly permissionDecisionReason: string;
		  }
		| { readonly hookEventName: 'PostToolUse'; readonly additionalContext: string }
		| { readonly hookEventName: 'PostToolUseFailure'; readonly additionalContext: string };
}

/** A hook callback, as the SDK calls it. */
export type HookCallback = (
	input: ToolHookInput,
	toolUseID: string | undefined,
	options: { readonly signal: AbortSignal },
) => Promise<HookOutput>;

/** A hook matcher, as the SDK's `hooks` option takes it. */
export interface HookMatcher {
	readonly matcher?: string;
	readonly hooks: HookCallback[];
	readonly onFailure?: 'continue' | 'block';
}

/** The `hooks` option for the SDK's `query()`. */
export interface WardenHooks {
	readonly PreToolUse: HookMatcher[];
	readonly PostToolUse: HookMatcher[];
	readonly PostToolUseFailure: HookMatcher[];
}

/** Options of {@link wardenHooks}. */
export interface WardenHooksOptions extends Omit<AdapterOptions, 'sessionId' | 'onDenied'> {
	/**
	 * The session calls join.
	 * @default the SDK's `session_id` (one conversation is one session)
	 */
	readonly sessionId?: string;
	/**
	 * A call allowed by PreToolUse whose PostToolUse (or failure) never arrives is completed as failed after this long,
	 * so nothing leaks; a write/irreversible call then counts as possibly executed.
	 * @default 600_000 (10 min)
	 */
	readonly pendingTimeoutMs?: number;
	/**
	 * Most calls waiting for their post event; past it the oldest is completed as failed.
	 * @default 10_000
	 */
	readonly maxPending?: number;
	/**
	 * `block` (fail closed): if a toolwarden hook itself fails, Claude Code blocks the tool call. Needs a Claude Code
	 * that supports `onFailure`.
	 * @default 'block'
	 */
	readonly onFailure?: 'continue' | 'block';
}

/**
 * The Claude Agent SDK `hooks` option that governs every tool call of a session: `PreToolUse` asks `warden` and answers
 * `permissionDecision: 'deny'` with the reason (the agent sees it and adapts) — or lets the normal permission flow go
 * on; `PostToolUse` records the result and returns failed postconditions as `additionalContext`;
 * `PostToolUseFailure` records the failure. The SDK's `tool_use_id` is the call's `callId`. A replayed call is denied
 * with the recorded result in the reason (Claude Code cannot substitute a result before running a tool).
 *
 * Human approval (API §10): a held call answers `permissionDecision: 'ask'`, so Claude Code's permission flow asks a
 * person. Pass `canUseTool: hooks.canUseTool(decide)` to `query()` to decide in your app (the decision is recorded in
 * `warden.approvals` as `options.approver`, default `'claude-agent-sdk'`, before the tool runs); when Claude Code's
 * own prompt approves instead, the approval is recorded as the tool's PostToolUse arrives.
 */
export function wardenHooks(
	warden: Warden,
	options: WardenHooksOptions = {},
): WardenHooks & { readonly pending: () => number; readonly canUseTool: PermissionGate['canUseTool'] } {
	checkKeys(
		options,
		['sessionId', 'principal', 'metadata', 'pendingTimeoutMs', 'maxPending', 'onFailure', 'approver'],
		'wardenHooks options',
	);
	const timeoutMs = checkLimit(options.pendingTimeoutMs, 'wardenHooks options.pendingTimeoutMs', 600_000);
	const maxPending = checkLimit(options.maxPending, 'wardenHooks options.maxPending', 10_000);
	const pending = new Map<string, { call: GovernedCall<object>; timer: NodeJS.Timeout }>();

	const settle = (id: string) => {
		const entry = pending.get(id);
		if (entry === undefined) return undefined;
		pending.delete(id);
		clearTimeout(entry.timer);
		return entry.call;
	};
	const abandon = (id: string, why: string) => {
		const call = settle(id);
		if (call === undefined) return;
		void call.fail(new Error(why), { sideEffectExecuted: hasSideEffect(call.envelope) }).catch(() => undefined);
	};

	const track = (call: GovernedCall<object>) => {
		const key = call.envelope.callId;
		if (pending.size >= maxPending) {
			const oldest = pending.keys().next().value;
			if (oldest !== undefined) abandon(oldest, 'Evicted: too many calls waited for their PostToolUse event.');
		}
		const timer = setTimeout(
			() => abandon(key, `No PostToolUse or PostToolUseFailure arrived within ${timeoutMs} ms.`),
			timeoutMs,
		);
		timer.unref();
		pending.set(key, { call, timer });
	};
	const gate = new PermissionGate(warden, options.approver ?? 'claude-agent-sdk', track, maxPending);

	const pre: HookCallback = async (input, toolUseID) => {
		if (input.hook_event_name !== 'PreToolUse') return {};
		const id = idOf(input, toolUseID);
		const args = toolArgs(input.tool_input);
		const sessionId = options.sessionId ?? input.session_id;
		const opts = callOptions({ ...options, ...(sessionId === undefined ? {} : { sessionId }) }, id);
		const call = await warden.begin(String(input.tool_name), args, opts);
		if (call.decision.action === 'hold')
			return gate.hold(call.envelope.callId, call, { ...opts, callId: call.envelope.callId });
		if (call.replayed) {
			return deny(
				`Not run again: this exact call already completed. Its result was: ${asText(call.result).slice(0, 4000)}`,
			);
		}
		if (!call.allowed) return deny(denialOf(call).reason);
		track(call);
		return {};
	};

	const post: HookCallback = async (input, toolUseID) => {
		if (input.hook_event_name !== 'PostToolUse') return {};
		const id = idOf(input, toolUseID) ?? '';
		const call = settle(id) ?? (await gate.ranAfterAsk(id));
		if (call === undefined) return {};
		const result = await call.succeed(input.tool_response);
		return result.warnings.length === 0
			? {}
			: { hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: result.warnings.join('\n') } };
	};

	const failure: HookCallback = async (input, toolUseID) => {
		if (input.hook_event_name !== 'PostToolUseFailure') return {};
		const call = settle(idOf(input, toolUseID) ?? '');
		if (call !== undefined)
			await call.fail(new Error(typeof input.error === 'string' ? input.error : 'The tool failed.'));
		return {};
	};

	const onFailure = options.onFailure ?? 'block';
	const hooks: WardenHooks = {
		PreToolUse: [{ hooks: [pre], onFailure }],
		PostToolUse: [{ hooks: [post] }],
		PostToolUseFailure: [{ hooks: [failure] }],
	};
	// Not enumerable: the SDK reads the hooks option's keys as event names.
	Object.defineProperty(hooks, 'canUseTool', { value: gate.canUseTool.bind(gate), enumerable: false });
	return Object.defineProperty(hooks, 'pending', { value: () => pending.size, enumerable: false }) as WardenHooks & {
		readonly pending: () => number;
		readonly canUseTool: PermissionGate['canUseTool'];
	};
}

function deny(reason: string): HookOutput {
	return {
		hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
	};
}

/** The SDK's tool-use id: the input's `tool_use_id`, else the callback's `toolUseID` argument. */
function idOf(input: ToolHookInput, toolUseID: string | undefined): string | undefined {
	return typeof input.tool_use_id === 'string' && input.tool_use_id !== '' ? input.tool_use_id : toolUseID;
}
