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
	const lines = [
		`Session ${report.sessionId}`,
		`  calls ${report.calls}: executed ${report.executed} (failed ${report.failed}), denied ${report.denied}, replayed ${report.replayed}; efficiency ${pct(report.efficiency)}`,
		`  side effects: executed ${report.sideEffects.executed}, prevented ${report.sideEffects.prevented}`,
		`  cost: $${report.cost.spentUsd}${report.cost.budgetUsd === undefined ? '' : ` of $${report.cost.budgetUsd}`}`,
	];
	const interventions = Object.entries(report.interventions).sort(([, a], [, b]) => b - a);
	lines.push(interventions.length === 0 ? '  interventions: none' : `  interventions: ${interventions.map(([rule, n]) => `${rule} ×${n}`).join(', ')}`);
	for (const { tool, reason } of report.quarantined) lines.push(`  quarantined ${tool}: ${reason}`);
	return lines.join('\n');
}
