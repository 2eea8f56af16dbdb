/**
 * Bad usage or bad input (a missing file, a corrupt line, a policy that throws): the binary prints its message on
 * one line and exits 2. Anything else that escapes a command is a bug and shows its stack.
 */
export class CliError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'CliError';
	}
}

/** The message of anything thrown, on one line. */
export function oneLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.replace(/\s*\n\s*/g, ' ').trim();
}
