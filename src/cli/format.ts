/** Formatting shared by the text and HTML outputs. */

const NUMBER = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567". */
export function count(n: number): string {
	return NUMBER.format(n);
}

/** A byte size people read: "312 MB". */
export function bytes(n: number): string {
	if (n < 1024) return `${n} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = n / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit] as string}`;
}

/** part of whole as "52%" (one decimal under 1%). */
export function percent(part: number, whole: number): string {
	if (whole === 0) return '0%';
	const p = (part / whole) * 100;
	return p > 0 && p < 1 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/** Counts by key, largest first (ties by name), as [key, n] pairs. */
export function ranked(counts: Readonly<Record<string, number>>, limit = Infinity): Array<[string, number]> {
	return Object.entries(counts)
		.sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
		.slice(0, limit);
}

/** "noDotEnv 6 · fewWrites 4" */
export function inline(counts: Readonly<Record<string, number>>, limit = 8): string {
	const top = ranked(counts, limit);
	const rest = Object.keys(counts).length - top.length;
	return top.map(([key, n]) => `${key} ${count(n)}`).join(' · ') + (rest > 0 ? ` · and ${rest} more` : '');
}

/** "1 session", "2 sessions". */
export function plural(n: number, noun: string): string {
	return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Cuts text to `max` characters on one line. */
export function clip(text: string, max: number): string {
	const flat = text.replace(/\s+/g, ' ');
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** An ISO timestamp as "2026-12-02 13:21 UTC". */
export function minute(iso: string | undefined): string {
	return iso === undefined ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
