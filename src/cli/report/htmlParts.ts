import { count } from '../format.js';
import { COLORS, escape } from './svgCharts.js';

/** The page's only styles, inline: the file opens anywhere, offline. */
export const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:0;background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
.muted{color:#5b6675;font-size:13px}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0}
.card{border:1px solid #dde1e6;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}.card span{font-size:13px;color:#5b6675}
.card.warn b{color:${COLORS.wouldDeny}}.card.deny b{color:${COLORS.denied}}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e9ed;vertical-align:top}
th{background:#f0f2f5;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}svg .label{fill:#1d2430}svg .value{fill:#5b6675}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px}
.next{background:#fff8e6;border-left:4px solid ${COLORS.wouldDeny};padding:10px 14px;margin:18px 0}
code{background:#f0f2f5;padding:1px 4px;border-radius:3px}`;

/** A colour legend for a chart. */
export function legend(...items: Array<[string, string]>): string {
	const spans = items.map(([label, color]) => `<span><i style="background:${color}"></i>${escape(label)}</span>`);
	return `<p class="legend">${spans.join('')}</p>`;
}

/** A summary card: a big number and what it counts. */
export function card(value: string, label: string, kind = ''): string {
	return `<div class="card ${kind}"><b>${escape(value)}</b><span>${escape(label)}</span></div>`;
}

/** A plain table (readable without JavaScript); columns from `numeric` on are right-aligned counts. */
export function table(
	head: readonly string[],
	rows: ReadonlyArray<ReadonlyArray<string | number>>,
	numeric: number,
): string {
	const th = head.map((h, i) => `<th${i >= numeric ? ' class="n"' : ''}>${escape(h)}</th>`).join('');
	const cell = (value: string | number, i: number) =>
		i >= numeric
			? `<td class="n">${typeof value === 'number' ? count(value) : escape(value)}</td>`
			: `<td>${escape(String(value))}</td>`;
	const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('');
	const empty = `<tr><td colspan="${head.length}">none</td></tr>`;
	return `<table><thead><tr>${th}</tr></thead><tbody>${body || empty}</tbody></table>`;
}
