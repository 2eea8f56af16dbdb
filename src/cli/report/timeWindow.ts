import { CliError } from '../CliError.js';

/** A `[since, until)` window in epoch ms; either end may be open. */
export interface TimeWindow {
	readonly since?: number;
	readonly until?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY = 86_400_000;

/**
 * Parses `--since` / `--until` (ISO 8601 date or date-time). Times without a zone are UTC, like the log's
 * timestamps. A date alone is a whole day: `--since 2026-03-01` starts at its midnight, `--until 2026-03-01`
 * includes that day.
 *
 * @throws CliError for anything else, or since after until
 */
export function parseWindow(since: string | undefined, until: string | undefined): TimeWindow {
	const window = {
		...(since === undefined ? {} : { since: parseTime(since, '--since', 0) }),
		...(until === undefined ? {} : { until: parseTime(until, '--until', DAY) }),
	};
	if (window.since !== undefined && window.until !== undefined && window.since >= window.until)
		throw new CliError(`--since ${since} is not before --until ${until}.`);
	return window;
}

function parseTime(text: string, flag: string, dateOnlyOffset: number): number {
	if (DATE.test(text)) return checked(Date.parse(`${text}T00:00:00Z`), text, flag) + dateOnlyOffset;
	if (!DATE_TIME.test(text))
		throw new CliError(`${flag} ${text}: not an ISO 8601 date or date-time (2026-03-01, 2026-03-01T12:00Z).`);
	const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
	return checked(Date.parse(zoned.replace(' ', 'T')), text, flag);
}

function checked(ms: number, text: string, flag: string): number {
	if (Number.isNaN(ms)) throw new CliError(`${flag} ${text}: not a valid date.`);
	return ms;
}

/** Whether an event's timestamp falls in the window (an unparsable timestamp is outside any bounded window). */
export function inWindow(window: TimeWindow, epochMs: number): boolean {
	if (window.since === undefined && window.until === undefined) return true;
	if (Number.isNaN(epochMs)) return false;
	return (
		(window.since === undefined || epochMs >= window.since) && (window.until === undefined || epochMs < window.until)
	);
}
