import type { CallOptions } from '../../envelope/types.js';
import type { Warden } from '../../warden/Warden.js';
import { approveHeld } from './approveHeld.js';
import type { Denial } from './denial.js';
import { isAsyncIterable, runGoverned, toolArgs } from './runGoverned.js';

export { denialOf, type Denial } from './denial.js';

/** Options every adapter accepts. */
export interface AdapterOptions {
	/**
	 * The session calls join.
	 * @default the Warden's `sessionId`
	 */
	readonly sessionId?: string;
	readonly principal?: CallOptions['principal'];
	readonly metadata?: CallOptions['metadata'];
	/**
	 * What a denied call returns to the model.
	 * @default a `Denial` object `{ denied: true, reason, source, rule, toolName, callId }`
	 */
	readonly onDenied?: (denial: Denial) => unknown;
	/**
	 * Who resolves held calls in the framework's own approval flow (API §10): an approval given there is recorded in
	 * `warden.approvals` under this name. It must not be the call's principal, and must be on a rule's `approvers`.
	 * @default the framework's name: `'ai-sdk'`, `'openai-agents'`, `'langchain'`, `'claude-agent-sdk'`
	 */
	readonly approver?: string;
}

/** A tool result as text, for frameworks whose tool outputs are strings. */
export function asText(value: unknown): string {
	return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

export function callOptions(options: AdapterOptions | undefined, callId: string | undefined): CallOptions {
	return {
		...(options?.sessionId === undefined ? {} : { sessionId: options.sessionId }),
		...(options?.principal === undefined ? {} : { principal: options.principal }),
		...(options?.metadata === undefined ? {} : { metadata: options.metadata }),
		...(callId === undefined || callId === '' ? {} : { callId }),
	};
}

/**
 * Governs one framework tool call: begin, then replay / deny (as a result for the model) / run the tool inside the
 * call's span and report the outcome. A streaming result (an async iterable) keeps streaming: the call completes when
 * the stream ends, with the last chunk as its result.
 */
export async function governedExecute(
	warden: Warden,
	toolName: string,
	input: unknown,
	callId: string | undefined,
	options: AdapterOptions | undefined,
	run: (args: unknown) => unknown,
	approvedBy?: string,
): Promise<unknown> {
	let call = await warden.begin(toolName, toolArgs(input), callOptions(options, callId));
	// The framework's approval flow approved this call: record it, and the call runs on the grant.
	if (approvedBy !== undefined) call = await approveHeld(warden, call, approvedBy, callOptions(options, callId));
	return runGoverned(call, run, { denied: options?.onDenied ?? ((denial) => denial) });
}

/** Whether `fn` is an `async function*`: its governed form must itself return an async iterable, not a promise. */
export function isAsyncGeneratorFunction(fn: unknown): boolean {
	return (
		typeof fn === 'function' &&
		(fn as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'AsyncGeneratorFunction'
	);
}

/**
 * {@link governedExecute} for a streaming tool: an async iterable from the start, governed before its first chunk.
 * A denial or replay is its single chunk.
 */
export async function* governedStream(
	warden: Warden,
	toolName: string,
	input: unknown,
	callId: string | undefined,
	options: AdapterOptions | undefined,
	run: (args: unknown) => AsyncIterable<unknown>,
	approvedBy?: string,
): AsyncGenerator<unknown> {
	const result = await governedExecute(warden, toolName, input, callId, options, run, approvedBy);
	if (isAsyncIterable(result)) yield* result;
	else yield result;
}
