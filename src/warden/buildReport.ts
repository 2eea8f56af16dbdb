import type { SessionGuards } from '../guards/SessionGuards.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { RunReport } from '../report/RunReport.js';
import { readSpend } from '../report/sessionSpend.js';
import { readWouldDeny } from '../report/wouldDenyTally.js';
import type { StorageBackend } from '../storage/StorageBackend.js';

/** A session's run report: the store's totals and tallies, and what the guards add (`Guard.report`). */
export async function buildReport(
	storage: StorageBackend,
	redaction: RedactionPolicy,
	guards: SessionGuards,
	sessionId: string,
): Promise<RunReport> {
	const [totals, spentUsd, wouldDeny] = await Promise.all([
		storage.totals(sessionId),
		readSpend(storage, sessionId),
		readWouldDeny(storage, sessionId),
	]);
	const fromGuards = await guards.report({ storage, sessionId, redaction }, totals.interventions);
	const succeeded = totals.executions - totals.failed;
	return {
		sessionId,
		calls: totals.attempts,
		executed: totals.executions,
		failed: totals.failed,
		denied: totals.denied,
		replayed: totals.replayed,
		efficiency: totals.attempts === 0 ? 1 : Math.round((succeeded / totals.attempts) * 1000) / 1000,
		interventions: totals.interventions,
		wouldDeny: wouldDeny.calls,
		wouldDenyByRule: wouldDeny.byRule,
		quarantined: fromGuards.quarantined,
		sideEffects: { executed: totals.sideEffectsExecuted, prevented: fromGuards.sideEffectsPrevented },
		cost: { spentUsd, ...(fromGuards.budgetUsd === undefined ? {} : { budgetUsd: fromGuards.budgetUsd }) },
	};
}
