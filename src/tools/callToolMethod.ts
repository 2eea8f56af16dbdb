import { ConfigError } from '../errors/ConfigError.js';

/**
 * Calls a `@tool` method for the governed view, checking what the type system checks only under `tsc`: under tsx,
 * esbuild or plain JavaScript, a synchronous method or a call with extra arguments would otherwise go through silently
 * (the caller gets a promise where it expected a value; the extra arguments are dropped).
 */
export function callToolMethod(
	method: (args: object) => unknown,
	instance: object,
	toolName: string,
	args: object,
): unknown {
	const result = method.call(instance, args);
	if (typeof (result as { then?: unknown } | null)?.then !== 'function') {
		throw new ConfigError(
			`@tool method for "${toolName}" returned a plain value, not a promise. Governed methods always answer ` +
				'asynchronously (governance may consult a remote store), so declare the method async and await its calls.',
		);
	}
	return result;
}

/** The error a governed method rejects with when called with more than its one plain-object argument. */
export function extraArgumentsError(toolName: string, count: number): ConfigError {
	return new ConfigError(
		`The governed method for "${toolName}" was called with ${count} arguments; it takes one plain-object argument ` +
			'(the others would be dropped). Pass them in one object.',
	);
}
