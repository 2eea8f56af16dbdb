import { ToolWardenError } from './ToolWardenError.js';

/**
 * Invalid configuration: unknown option keys, unknown modes, invalid limits, sinks without `emit`, values in
 * `contracts` that are not contracts, misuse of a decorator. Thrown at construction (or decoration) time so a
 * misconfigured Warden never starts and never fails open.
 *
 * @example
 * ```ts
 * new Warden({ mdoe: 'observe' }); // ConfigError: Unknown option "mdoe" in WardenOptions. Did you mean "mode"?
 * ```
 */
export class ConfigError extends ToolWardenError {
	/** Dotted path of the offending option, e.g. `limits.maxToolCalls`, when there is one. */
	readonly path: string | undefined;

	constructor(message: string, options?: { path?: string; cause?: unknown }) {
		super(message, options?.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'ConfigError';
		this.path = options?.path;
	}
}
