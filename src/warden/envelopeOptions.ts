import { randomUUID } from 'node:crypto';
import type { EnvelopeOptions } from '../envelope/createEnvelope.js';
import { declaredSpecOf } from '../envelope/declaredSpec.js';
import type { CallOptions, ToolEnvelope, ToolSpec } from '../envelope/types.js';

/** The keys a `CallOptions` may have. */
export const CALL_OPTION_KEYS = [
	'sessionId',
	'callId',
	'parentCallId',
	'principal',
	'environment',
	'metadata',
] as const;

/** The envelope options of one call: the Warden's tool registry and session, and what the caller passed. */
export function envelopeOptions(
	tools: Readonly<Record<string, ToolSpec>>,
	sessionId: string,
	environment: string,
	options: CallOptions | undefined,
): EnvelopeOptions {
	if (options === undefined) return { tools, sessionId, environment };
	const { callId, parentCallId, principal, metadata } = options;
	const declared = declaredSpecOf(options);
	return {
		tools,
		...(declared === undefined ? {} : { declared }),
		sessionId,
		environment,
		...(callId === undefined ? {} : { callId }),
		...(parentCallId === undefined ? {} : { parentCallId }),
		...(principal === undefined ? {} : { principal }),
		...(metadata === undefined ? {} : { metadata }),
	};
}

/** The envelope of a call whose args could not be snapshotted: its args are empty, the audit shows what was sent. */
export function fallbackEnvelope(
	toolName: unknown,
	sessionId: string,
	environment: string,
	callIndex: number,
	options: CallOptions | undefined,
): ToolEnvelope {
	return Object.freeze({
		toolName: typeof toolName === 'string' ? toolName : String(toolName),
		args: Object.freeze({}),
		callId: typeof options?.callId === 'string' ? options.callId : randomUUID(),
		sessionId,
		callIndex,
		parentCallId: typeof options?.parentCallId === 'string' ? options.parentCallId : null,
		sideEffect: 'irreversible',
		sideEffectDeclared: false,
		idempotent: false,
		environment,
		timestamp: new Date().toISOString(),
		principal: null,
		bashCommand: null,
		filePath: null,
		filePaths: Object.freeze([]),
		metadata: Object.freeze({}),
	});
}
