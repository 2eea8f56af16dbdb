/**
 * Base class of every error toolwarden throws. Its `name` is stable (equal to the class name) so it can be
 * matched without `instanceof` across package copies and used as an OpenTelemetry `error.type`.
 */
export class ToolWardenError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'ToolWardenError';
	}
}
