import { ToolWardenError } from './ToolWardenError.js';

/**
 * Why a value cannot be snapshotted into an envelope. The pipeline turns it into a denial with source
 * `invalid_input`, so the agent learns what to send instead.
 */
export class InvalidArgs extends ToolWardenError {
	constructor(
		readonly path: string,
		readonly problem: string,
	) {
		super(`Invalid tool arguments at ${path}: ${problem}`);
		this.name = 'InvalidArgs';
	}
}
