import { isoNow } from '../_internal/clock.js';
import { newCallId } from '../_internal/ids.js';
import { InvalidArgs } from '../errors/InvalidArgs.js';
import { FoundPaths } from './filePaths.js';
import { snapshot } from './snapshot.js';
import { toolTraits } from './toolTraits.js';
import type { CallOptions, ToolEnvelope, ToolSpec } from './types.js';

/** Options of {@link createEnvelope}: the call options plus the side-effect registry. */
export interface EnvelopeOptions extends CallOptions {
	/** The side-effect registry, as in `WardenOptions.tools`. */
	readonly tools?: Readonly<Record<string, ToolSpec>>;
	/** @internal set by the Warden */
	readonly callIndex?: number;
	/** @internal what an adapter knows from the framework (MCP annotations); the registry entry wins */
	readonly declared?: ToolSpec;
}

/** The metadata of a call given none: one frozen object, which its audit events share. */
export const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Builds the frozen {@link ToolEnvelope} of one call. `args` is deep-copied, then deep-frozen: changing the caller's
 * object afterwards changes nothing, and changing the envelope throws in strict mode.
 *
 * How exotic args are handled: primitives (including `bigint`, `NaN`, `undefined`) are kept; plain objects (also with
 * a `null` prototype) and arrays are copied with their own enumerable string keys, getters read once, an own
 * `__proto__` key kept as data (never as a prototype); a `Date` becomes its ISO string. Rejected with
 * `InvalidArgs` (a `ToolCallDenied` with source `invalid_input` when the pipeline builds the envelope): cycles,
 * nesting over 64 levels, a throwing getter, symbol keys, functions, symbols, Map, Set, typed arrays and buffers,
 * class instances, and a non-object `args`.
 *
 * @example
 * ```ts
 * const call = createEnvelope('Bash', { command: 'ls -la' }, { sessionId: 's1' });
 * call.sideEffect;   // 'read'
 * call.bashCommand;  // 'ls -la'
 * ```
 * @throws InvalidArgs when `args` cannot be snapshotted
 */
export function createEnvelope<A extends object>(
	toolName: string,
	args: A,
	options: EnvelopeOptions = {},
): ToolEnvelope<Readonly<A>> {
	return envelopeOf(toolName, args, options, options.callIndex ?? 0);
}

/**
 * {@link createEnvelope} with the call's index (and its start, when the caller read the clock) apart from its
 * options: the pipeline passes the same options object for every call of a session that names no options of its own.
 */
export function envelopeOf<A extends object>(
	toolName: string,
	args: A,
	options: EnvelopeOptions,
	callIndex: number,
	timestamp?: string,
): ToolEnvelope<Readonly<A>> {
	if (typeof toolName !== 'string' || toolName === '')
		throw new InvalidArgs('toolName', 'the tool name must be a non-empty string');
	if (typeof args !== 'object' || args === null || Array.isArray(args)) {
		const got = args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args;
		throw new InvalidArgs('$', `tool arguments must be a plain object, got ${got}`);
	}
	// The copy collects the path-named args' strings as it goes: `filePaths` need no second walk.
	const walkedPaths = new FoundPaths();
	const frozenArgs = guardedSnapshot(args, '$', walkedPaths) as Readonly<A>;
	const traits = toolTraits(toolName, frozenArgs, options.tools?.[toolName], options.declared, walkedPaths);
	return Object.freeze({
		toolName,
		args: frozenArgs,
		callId: options.callId ?? newCallId(),
		sessionId: options.sessionId ?? 'default',
		callIndex,
		parentCallId: options.parentCallId ?? null,
		sideEffect: traits.sideEffect,
		sideEffectDeclared: traits.sideEffectDeclared,
		idempotent: traits.idempotent,
		environment: options.environment ?? 'production',
		timestamp: timestamp ?? isoNow(),
		principal:
			options.principal === undefined
				? null
				: (guardedSnapshot(options.principal, 'principal') as ToolEnvelope['principal']),
		bashCommand: traits.bashCommand,
		filePath: traits.filePaths[0] ?? null,
		filePaths: traits.filePaths,
		metadata:
			options.metadata === undefined
				? NO_METADATA
				: (guardedSnapshot(options.metadata, 'metadata') as Readonly<Record<string, unknown>>),
	});
}

// A Proxy can throw from any trap; whatever goes wrong while copying is the caller's input, never our crash.
function guardedSnapshot(value: unknown, path: string, paths?: FoundPaths): unknown {
	try {
		return snapshot(value, paths);
	} catch (error) {
		if (error instanceof InvalidArgs)
			throw path === '$' ? error : new InvalidArgs(path + error.path.slice(1), error.problem);
		throw new InvalidArgs(path, `copying the value threw (${error instanceof Error ? error.name : typeof error})`);
	}
}
