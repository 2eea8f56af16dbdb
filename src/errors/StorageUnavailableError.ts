import { ToolWardenError } from './ToolWardenError.js';

/**
 * The session store could not be reached or did not answer in time. With a fail-closed store (the default) the call
 * is denied with source `storage_unavailable`; with `failMode: 'open'` it goes on, and the fact is audited as a
 * would-deny.
 */
export class StorageUnavailableError extends ToolWardenError {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'StorageUnavailableError';
	}
}
