import type { PreDecision } from '../decisions/decisions.js';
import type { SessionGuards } from '../guards/SessionGuards.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { recordWouldDeny } from '../report/wouldDenyTally.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { isThenable } from '../_internal/isThenable.js';
import { CallStorage } from '../storage/CallStorage.js';

/** Counts a denial or replay for the report; a guard may halt the session after it (`Guard.onDenial`, API §7). */
export async function countIntervention(
	storage: StorageBackend,
	guards: SessionGuards,
	redaction: RedactionPolicy,
	sessionId: string,
	decision: PreDecision,
): Promise<void> {
	try {
		const info = decision.rule === undefined ? undefined : { rule: decision.rule };
		let streak = storage.recordOutcome(sessionId, decision.action === 'replay' ? 'replayed' : 'denied', info);
		if (isThenable(streak)) streak = await streak;
		if (decision.action === 'deny' && guards.watchDenials && decision.source !== 'session_halted') {
			const halt = await guards.onDenial({ storage, sessionId, redaction: redaction }, streak);
			if (halt !== undefined) {
				const halted = storage.haltSession(sessionId, halt.message, halt.rule);
				if (isThenable(halted)) await halted;
				const counted = storage.recordOutcome(sessionId, 'denied', { rule: halt.rule });
				if (isThenable(counted)) await counted;
			}
		}
	} catch {
		// The call is not run either way; a count the store missed only makes the report less complete.
	}
}

/** Counts a call's would-denies for the report (observe mode's answer to "what would it have stopped?"). */
export async function countWouldDeny(storage: StorageBackend, sessionId: string, decision: PreDecision): Promise<void> {
	try {
		const recorded = recordWouldDeny(storage, sessionId, decision.wouldDeny);
		if (isThenable(recorded)) await recorded;
	} catch {
		// Like an intervention count: a count the store missed only makes the report less complete.
	}
}

/**
 * Counts a decision that intervened or would have: a denial or replay, and would-denies. Never holds the call past
 * its store bound (the store may be why it was denied): a call's view counts on the store itself, within the bound.
 */
export async function countDecision(
	storage: StorageBackend,
	guards: SessionGuards,
	redaction: RedactionPolicy,
	sessionId: string,
	decision: PreDecision,
): Promise<void> {
	const intervened = decision.action === 'deny' || decision.action === 'replay';
	if (!intervened && decision.wouldDeny.length === 0) return;
	const view = storage instanceof CallStorage ? storage : undefined;
	const store = view?.store ?? storage;
	const counted = (async () => {
		if (intervened) await countIntervention(store, guards, redaction, sessionId, decision);
		if (decision.wouldDeny.length > 0) await countWouldDeny(store, sessionId, decision);
	})();
	await (view === undefined ? counted : view.settle(counted));
}
