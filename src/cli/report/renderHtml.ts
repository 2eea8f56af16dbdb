import { count, minute, percent, ranked } from '../format.js';
import { card, CSS, legend, table } from './htmlParts.js';
import type { Breakdown, LogReport } from './LogReport.js';
import { barChart, COLORS, escape, timelineChart, type BarRow } from './svgCharts.js';

/** What the page says about how it was made. */
export interface HtmlMeta {
	readonly generatedAt: string;
	readonly filter: Readonly<Record<string, string>>;
}

const SERIES = legend(['denied', COLORS.denied], ['would deny (observe)', COLORS.wouldDeny]);
const TIME_SERIES = legend(
	['allowed', COLORS.allowed],
	['would deny', COLORS.wouldDeny],
	['denied', COLORS.denied],
	['replayed', COLORS.replayed],
);
const NEXT =
	'Check the rules and reasons below, edit the policy, then compare it with this traffic before enforcing: ' +
	'<code>toolwarden replay &lt;logs&gt; --policy ./policy.mjs --fail-on newly-denied</code>';

/** Rules (or tools) with their denials and would-denies, largest first. */
function merged(denied: Breakdown, wouldDeny: Breakdown, key: 'byRule' | 'byTool'): BarRow[] {
	const labels = new Set([...Object.keys(denied[key]), ...Object.keys(wouldDeny[key])]);
	return [...labels]
		.map((label) => ({ label, denied: denied[key][label] ?? 0, wouldDeny: wouldDeny[key][label] ?? 0 }))
		.sort((a, b) => b.denied + b.wouldDeny - (a.denied + a.wouldDeny) || a.label.localeCompare(b.label));
}

function header(report: LogReport, meta: HtmlMeta): string {
	const filters = Object.entries(meta.filter)
		.map(([k, v]) => ` · --${k} ${v}`)
		.join('');
	const span = `${minute(report.from)} → ${minute(report.until)}`;
	const line = `${count(report.calls)} calls in ${count(report.sessions)} sessions, ${span}${filters}`;
	const cards = [
		card(count(report.calls), 'calls'),
		card(
			count(report.wouldDeny.calls),
			`would have been denied (${percent(report.wouldDeny.calls, report.calls)})`,
			'warn',
		),
		card(count(report.denied.total), `denied (${percent(report.denied.total, report.calls)})`, 'deny'),
		card(count(report.replayed), 'replayed instead of run'),
		card(count(report.sideEffectsPrevented), 'side effects prevented'),
		card(count(report.sessions), 'sessions'),
		card(`$${report.costUsd}`, 'known spend (lower bound)'),
	];
	const next =
		report.wouldDeny.calls > 0
			? `<p class="next">${count(report.wouldDeny.calls)} calls ran that the rules would have denied. ${NEXT}</p>`
			: '';
	return (
		`<h1>toolwarden report</h1><p class="muted">${escape(line)} · generated ${escape(minute(meta.generatedAt))}</p>` +
		`<div class="cards">${cards.join('')}</div>${next}`
	);
}

function breakdowns(report: LogReport): string {
	const rules = merged(report.denied, report.wouldDeny, 'byRule');
	const tools = merged(report.denied, report.wouldDeny, 'byTool');
	const rows = (list: BarRow[]) => list.map((r) => [r.label, r.wouldDeny, r.denied]);
	return [
		`<h2>Denials and would-denies by rule</h2>${SERIES}${barChart(rules, 'Denials and would-denies by rule')}`,
		table(['rule', 'would deny', 'denied'], rows(rules), 1),
		`<h2>By tool</h2>${SERIES}${barChart(tools, 'Denials and would-denies by tool')}`,
		table(['tool', 'would deny', 'denied'], rows(tools), 1),
	].join('\n');
}

function overTime(report: LogReport): string {
	const { bucketMs, buckets } = report.timeline;
	const rows = buckets.map((b) => [minute(b.start), b.calls, b.wouldDeny, b.denied, b.replayed]);
	const details = table(['from', 'calls', 'would deny', 'denied', 'replayed'], rows, 1);
	return (
		`<h2>Over time</h2>${TIME_SERIES}${timelineChart(buckets, 'Calls over time')}` +
		`<details><summary>Calls per ${count(bucketMs / 60_000)} min</summary>${details}</details>`
	);
}

function outcomes(report: LogReport): string {
	const rows: Array<[string, number]> = [
		['replayed instead of run', report.replayed],
		...ranked(report.replayedByRule).map(([rule, n]): [string, number] => [`replayed by ${rule}`, n]),
		['held for approval (did not run)', report.held.total],
		...ranked(report.held.byRule).map(([rule, n]): [string, number] => [`held by ${rule}`, n]),
		['approvals granted', report.approvals.granted],
		['approvals denied', report.approvals.denied],
		['approvals expired', report.approvals.expired],
		['side effects prevented (write/irreversible calls that did not run)', report.sideEffectsPrevented],
		['side effects that would have been prevented (they ran, with a would-deny)', report.sideEffectsWouldPrevent],
		['executed', report.executed],
		['failed', report.failed],
	];
	return `<h2>Replays, approvals and side effects</h2>${table(['what', 'calls'], rows, 1)}`;
}

function sessions(report: LogReport): string {
	const head = ['session', 'first', 'last', 'calls', 'would deny', 'denied', 'replayed', 'failed'];
	const rows = report.topSessions.map((s) => [
		s.sessionId,
		minute(s.first),
		minute(s.last),
		s.calls,
		s.wouldDeny,
		s.denied,
		s.replayed,
		s.failed,
	]);
	const note = `<p class="muted">The ${count(report.topSessions.length)} sessions with the most interventions.</p>`;
	return `<h2>Sessions</h2>${note}${table(head, rows, 3)}`;
}

function footer(report: LogReport): string {
	const files = report.files.map((set) => escape(set.join(', '))).join(' · ');
	const skipped = `${count(report.otherLines)} non-call records, ${count(report.tornLines)} torn lines`;
	return `<p class="muted">Files: ${files}. Skipped: ${skipped}.</p>`;
}

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts, no script and nothing fetched when it is
 * opened; every number is also in a plain table.
 */
export function renderHtml(report: LogReport, meta: HtmlMeta): string {
	const reasons = report.topReasons.map((r) => [r.rule, r.reason, r.count]);
	const sections = [
		header(report, meta),
		breakdowns(report),
		overTime(report),
		`<h2>Top reasons</h2>${table(['rule', 'reason', 'calls'], reasons, 2)}`,
		outcomes(report),
		sessions(report),
		`<h2>Events by action</h2>${table(['action', 'events'], ranked(report.byAction), 1)}`,
		footer(report),
	];
	const head =
		'<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
		`<title>toolwarden report</title><style>${CSS}</style>`;
	const body = `<body><main>\n${sections.join('\n')}\n</main></body>`;
	return `<!doctype html>\n<html lang="en"><head>${head}</head>\n${body}</html>\n`;
}
