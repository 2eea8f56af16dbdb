import { clip, count, inline, minute, percent, plural, ranked } from '../format.js';
import type { LogReport } from './LogReport.js';

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of calls over time, with the interventions' share. */
function sparkline(report: LogReport): string {
	const buckets = report.timeline.buckets;
	const max = Math.max(1, ...buckets.map((b) => b.calls));
	return buckets.map((b) => (b.calls === 0 ? ' ' : BARS[Math.min(7, Math.floor((b.calls / max) * 7.999))])).join('');
}

/**
 * The text report: a summary a person can act on. The headline says what would have been (or was) stopped; rules and
 * tools are ranked; the last line says what to do next.
 */
export function formatLogReport(report: LogReport): string {
	const out: string[] = [];
	const span = report.from === undefined ? 'no calls' : `${minute(report.from)} → ${minute(report.until)}`;
	out.push(`toolwarden report: ${count(report.calls)} calls in ${plural(report.sessions, 'session')}, ${span}`);
	out.push('');
	const { wouldDeny, denied } = report;
	if (wouldDeny.calls > 0) {
		out.push(
			`Would have been denied: ${count(wouldDeny.calls)} calls (${percent(wouldDeny.calls, report.calls)}); ` +
				'they ran, because the rules observe.',
		);
		out.push(`  by rule   ${inline(wouldDeny.byRule)}`);
		out.push(`  by tool   ${inline(wouldDeny.byTool)}`);
		if (report.sideEffectsWouldPrevent > 0)
			out.push(
				`  ${count(report.sideEffectsWouldPrevent)} of them wrote or changed something (write/irreversible tools).`,
			);
	} else {
		out.push('Would have been denied: none (no rule failed in observe mode).');
	}
	if (denied.total > 0) {
		out.push(`Denied: ${count(denied.total)} calls (${percent(denied.total, report.calls)}).`);
		out.push(`  by rule   ${inline(denied.byRule)}`);
		out.push(`  by tool   ${inline(denied.byTool)}`);
	} else {
		out.push('Denied: none.');
	}
	if (report.replayed > 0)
		out.push(`Replayed instead of run: ${count(report.replayed)} (${inline(report.replayedByRule)}).`);
	if (report.held.total > 0) {
		out.push(`Held for approval: ${count(report.held.total)} calls (${percent(report.held.total, report.calls)}).`);
		out.push(`  by rule   ${inline(report.held.byRule)}`);
		out.push(`  by tool   ${inline(report.held.byTool)}`);
	}
	const { approvals } = report;
	if (approvals.granted + approvals.denied + approvals.expired > 0)
		out.push(
			`Approvals: ${count(approvals.granted)} granted, ${count(approvals.denied)} denied, ` +
				`${count(approvals.expired)} expired` +
				(Object.keys(approvals.byApprover).length > 0 ? ` (by ${inline(approvals.byApprover)}).` : '.'),
		);
	out.push(`Side effects prevented: ${count(report.sideEffectsPrevented)} write/irreversible calls did not run.`);
	if (report.costUsd > 0) out.push(`Known spend: $${report.costUsd} (from costBudget records; a lower bound).`);
	out.push(
		`Ran: ${count(report.executed)} executed, ${count(report.failed)} failed` +
			(report.postconditionWarnings > 0 ? `, ${count(report.postconditionWarnings)} postcondition warnings.` : '.'),
	);
	if (report.topReasons.length > 0) {
		out.push('', 'Top reasons:');
		for (const { reason, count: n, rule } of report.topReasons)
			out.push(`  ${count(n).padStart(7)}×  ${rule}: ${clip(reason, 100)}`);
	}
	const sessions = report.topSessions.filter((s) => s.denied + s.wouldDeny + s.replayed > 0).slice(0, 5);
	if (sessions.length > 0) {
		out.push('', 'Sessions with the most interventions:');
		for (const s of sessions)
			out.push(
				`  ${clip(s.sessionId, 40).padEnd(40)} ${count(s.calls)} calls, ${count(s.wouldDeny)} would-deny, ` +
					`${count(s.denied)} denied, ${count(s.replayed)} replayed`,
			);
	}
	if (report.timeline.buckets.length > 1)
		out.push('', `Calls over time (${count(report.timeline.bucketMs / 60_000)} min per bar): ${sparkline(report)}`);
	out.push(
		'',
		`Events by action: ${
			ranked(report.byAction)
				.map(([a, n]) => `${a} ${count(n)}`)
				.join(', ') || 'none'
		}`,
	);
	if (report.otherLines + report.tornLines > 0)
		out.push(`Skipped: ${count(report.otherLines)} non-call records, ${count(report.tornLines)} torn lines.`);
	out.push('', nextStep(report));
	return `${out.join('\n')}\n`;
}

function nextStep(report: LogReport): string {
	if (report.wouldDeny.calls > 0) {
		return (
			'Next: check the rules above against the reasons; edit the policy, then compare it with this traffic ' +
			'before enforcing:\n  toolwarden replay <logs> --policy ./policy.mjs --fail-on newly-denied'
		);
	}
	if (report.denied.total > 0)
		return 'Next: the denials above blocked calls; if a rule is too strict, edit the policy and check it with replay.';
	return 'Next: nothing was stopped; rules that never fire may be too loose. Try a stricter policy with replay.';
}
