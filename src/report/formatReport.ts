import type { RunReport } from './RunReport.js';

/**
 * Renders a {@link RunReport} as plain text for logs and terminals.
 *
 * @example
 * ```ts
 * console.log(formatReport(await warden.report()));
 * ```
 */
export function formatReport(report: RunReport): string {
	const pct = (n: number) => `${Math.round(n * 100)}%`;
	const wouldDeny = report.wouldDeny > 0 ? `, would deny ${report.wouldDeny}` : '';
	const lines = [
		`Session ${report.sessionId}`,
		`  calls ${report.calls}: executed ${report.executed} (failed ${report.failed}), ` +
			`denied ${report.denied}${wouldDeny}, replayed ${report.replayed}; efficiency ${pct(report.efficiency)}`,
		`  side effects: executed ${report.sideEffects.executed}, prevented ${report.sideEffects.prevented}`,
		`  cost: $${report.cost.spentUsd}${report.cost.budgetUsd === undefined ? '' : ` of $${report.cost.budgetUsd}`}`,
	];
	const interventions = byCount(report.interventions);
	// "interventions: none" alone would tell a shadow deployment that its rules found nothing.
	if (interventions !== '' || report.wouldDeny === 0) {
		lines.push(`  interventions: ${interventions === '' ? 'none' : interventions}`);
	}
	if (report.wouldDeny > 0) {
		const calls = report.wouldDeny === 1 ? 'call' : 'calls';
		lines.push(`  would have denied ${report.wouldDeny} ${calls} (not enforced): ${byCount(report.wouldDenyByRule)}`);
	}
	for (const { tool, reason } of report.quarantined) lines.push(`  quarantined ${tool}: ${reason}`);
	return lines.join('\n');
}

/** `rule ×n, ...`, most frequent first (ties by name, so the text is stable). */
function byCount(counts: Readonly<Record<string, number>>): string {
	return Object.entries(counts)
		.sort(([ra, a], [rb, b]) => b - a || (ra < rb ? -1 : ra > rb ? 1 : 0))
		.map(([rule, n]) => `${rule} ×${n}`)
		.join(', ');
}
