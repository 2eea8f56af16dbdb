import { count } from '../format.js';
import type { TimeBucket } from './Timeline.js';

/** Colours shared by the charts and the page's legend. */
export const COLORS = Object.freeze({
	denied: '#c0392b',
	wouldDeny: '#e08a00',
	replayed: '#3b7dd8',
	allowed: '#b8c2cc',
});

/** One bar of a horizontal chart: a label and its stacked parts. */
export interface BarRow {
	readonly label: string;
	readonly denied: number;
	readonly wouldDeny: number;
}

/** Escapes text for HTML and SVG (both are XML-ish here). */
export function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const ROW = 26;
const LABEL = 200;
const BAR = 440;
const WIDTH = LABEL + BAR + 80;
const PLOT_H = 160;
const PLOT_W = 680;

const n1 = (value: number) => value.toFixed(1);

function rect(x: number, y: number, width: number, height: number, fill: string): string {
	return `<rect x="${n1(x)}" y="${n1(y)}" width="${n1(width)}" height="${n1(height)}" fill="${fill}"/>`;
}

function text(x: number, y: number, content: string, cls: string, anchor = 'start'): string {
	return `<text x="${n1(x)}" y="${n1(y)}" text-anchor="${anchor}" class="${cls}">${escape(content)}</text>`;
}

function svg(caption: string, width: number, height: number, body: string): string {
	const size = `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"`;
	return `<svg role="img" aria-label="${escape(caption)}" ${size} xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/**
 * Horizontal stacked bars (denied, then would-deny) per rule or tool, largest first. Inline SVG with `<title>`
 * tooltips: no script, no external font or file.
 */
export function barChart(rows: readonly BarRow[], caption: string): string {
	if (rows.length === 0) return '';
	const max = Math.max(1, ...rows.map((r) => r.denied + r.wouldDeny));
	const bars = rows.map((row, i) => {
		const y = i * ROW + 4;
		const denied = (row.denied / max) * BAR;
		const would = (row.wouldDeny / max) * BAR;
		const label = row.label.length > 28 ? `${row.label.slice(0, 27)}…` : row.label;
		const tip = `${row.label}: ${count(row.denied)} denied, ${count(row.wouldDeny)} would-deny`;
		return (
			`<g><title>${escape(tip)}</title>${text(LABEL - 8, y + 16, label, 'label', 'end')}` +
			(denied > 0 ? rect(LABEL, y, denied, 20, COLORS.denied) : '') +
			(would > 0 ? rect(LABEL + denied, y, would, 20, COLORS.wouldDeny) : '') +
			`${text(LABEL + denied + would + 6, y + 15, count(row.denied + row.wouldDeny), 'value')}</g>`
		);
	});
	return svg(caption, WIDTH, rows.length * ROW + 8, bars.join(''));
}

/** Stacked columns of calls over time: allowed, would-deny, denied, replayed. */
export function timelineChart(buckets: readonly TimeBucket[], caption: string): string {
	if (buckets.length === 0) return '';
	const max = Math.max(1, ...buckets.map((b) => b.calls));
	// A few buckets (a short log) get columns of a readable width, not the whole plot each.
	const width = Math.min(PLOT_W / buckets.length, 48);
	const base = PLOT_H + 10;
	const columns = buckets.map((bucket, i) => {
		const x = 40 + i * width;
		const parts: Array<[number, string]> = [
			[bucket.calls - bucket.denied - bucket.wouldDeny - bucket.replayed, COLORS.allowed],
			[bucket.wouldDeny, COLORS.wouldDeny],
			[bucket.denied, COLORS.denied],
			[bucket.replayed, COLORS.replayed],
		];
		let top = base;
		let rects = '';
		for (const [n, color] of parts) {
			if (n <= 0) continue;
			const h = (n / max) * PLOT_H;
			top -= h;
			rects += rect(x, top, Math.max(1, width - 2), h, color);
		}
		const tip =
			`${bucket.start}: ${count(bucket.calls)} calls, ${count(bucket.wouldDeny)} would-deny, ` +
			`${count(bucket.denied)} denied, ${count(bucket.replayed)} replayed`;
		return `<g><title>${escape(tip)}</title>${rects}</g>`;
	});
	const when = (bucket: TimeBucket | undefined) => `${(bucket?.start ?? '').slice(0, 16).replace('T', ' ')} UTC`;
	const axis =
		`<line x1="40" y1="${base}" x2="${40 + PLOT_W}" y2="${base}" stroke="#667"/>` +
		text(36, 18, count(max), 'value', 'end') +
		text(36, base, '0', 'value', 'end') +
		text(40, base + 18, when(buckets[0]), 'value') +
		text(40 + PLOT_W, base + 18, when(buckets.at(-1)), 'value', 'end');
	return svg(caption, PLOT_W + 50, PLOT_H + 36, columns.join('') + axis);
}
