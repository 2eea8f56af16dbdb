import { StorageUnavailableError } from './StorageUnavailableError.js';

/**
 * A session's state vanished while the session was in use (the store restarted without persistence, was flushed,
 * evicted the session, or one of its keys expired before the others). Its counters and guard state can no longer be
 * trusted: with `failMode: 'closed'` every call of the session is denied (source `storage_unavailable`) until
 * `warden.resetSession(id)`; with `failMode: 'open'` the call that noticed is audited and the session starts over.
 */
export class SessionStateLostError extends StorageUnavailableError {
	/** The session (or shared ledger scope) whose state was lost. */
	readonly sessionId: string;

	constructor(sessionId: string, detail: string, options?: { cause?: unknown }) {
		super(`The state of session "${sessionId}" was lost: it ${detail}.`, options);
		this.name = 'SessionStateLostError';
		this.sessionId = sessionId;
	}
}
