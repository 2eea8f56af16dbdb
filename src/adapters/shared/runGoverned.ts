import type { GovernedCall } from '../../warden/GovernedCall.js';
import { denialOf, type Denial } from './denial.js';

/** How a framework reads a governed call: what the adapter translates, the lifecycle being the same everywhere. */
export interface FrameworkShape {
	/** What a call that did not run (denied, or held with no one to ask) returns to the framework. */
	readonly denied: (denial: Denial) => unknown;
	/**
	 * What a replayed call returns.
	 * @default the recorded result
	 */
	readonly replayed?: (result: unknown) => unknown;
	/** A result that reports a failure (an MCP `isError` result, an error `ToolMessage`): the error the call fails with. */
	readonly failureOf?: (result: unknown) => Error | undefined;
	/**
	 * What the call records of a successful result.
	 * @default the result
	 */
	readonly recorded?: (result: unknown) => unknown;
}

/**
 * The one call lifecycle every adapter shares, after `begin`: replay, deny (as a result for the model), or run the tool
 * on the frozen args inside the call's span and report how it ended (a throw is recorded and rethrown). A streaming
 * result (an async iterable) keeps streaming: the call completes when the stream ends, with the last chunk.
 */
export async function runGoverned(
	call: GovernedCall<object>,
	run: (args: Readonly<object>) => unknown,
	shape: FrameworkShape,
): Promise<unknown> {
	if (call.replayed) return shape.replayed === undefined ? call.result : shape.replayed(call.result);
	if (!call.allowed) return shape.denied(denialOf(call));
	let result: unknown;
	try {
		result = await call.withSpan(() => run(call.envelope.args));
	} catch (error) {
		await call.fail(error);
		throw error;
	}
	if (isAsyncIterable(result)) return streamGoverned(call, result);
	const failure = shape.failureOf?.(result);
	if (failure !== undefined) await call.fail(failure);
	else await call.succeed(shape.recorded === undefined ? result : shape.recorded(result));
	return result;
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

async function* streamGoverned(call: GovernedCall<object>, stream: AsyncIterable<unknown>): AsyncGenerator<unknown> {
	let last: unknown;
	try {
		for await (const chunk of stream) {
			last = chunk;
			yield chunk;
		}
	} catch (error) {
		await call.fail(error);
		throw error;
	}
	await call.succeed(last);
}

/**
 * A framework's tool input as tool args, the same in every adapter: an object as is, no input (`undefined`) as no args,
 * anything else (a string, a number) wrapped as `{ input }`.
 */
export function toolArgs(input: unknown): object {
	if (typeof input === 'object' && input !== null) return input;
	return input === undefined ? {} : { input };
}
