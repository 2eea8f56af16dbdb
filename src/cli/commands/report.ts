import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, oneLine } from '../CliError.js';
import { EXIT, type Command } from '../Command.js';
import { resolveLogSets } from '../input/logSets.js';
import { scanEvents } from '../input/scanEvents.js';
import { formatLogReport } from '../report/formatLogReport.js';
import { renderHtml } from '../report/renderHtml.js';
import { ReportAggregator } from '../report/ReportAggregator.js';
import { parseWindow } from '../report/timeWindow.js';

const USAGE = `Usage: toolwarden report <paths...> [--session ID] [--since T] [--until T] [--html OUT.html] [--json]
  What happened and what would have: calls by action, denials and would-denies by rule and tool, top reasons,
  replays, side effects prevented, sessions, over time. Paths are files, rotated sets or directories.
  --since/--until take ISO 8601 dates or date-times (UTC unless a zone is given; a date alone is the whole day).
  --html writes one self-contained page (no network, tables readable without JavaScript).`;

/** `toolwarden report`: aggregates audit logs into a summary (text, `--json`, `--html`). */
export const report: Command = {
	name: 'report',
	summary: 'what happened and what would have: denials and would-denies by rule, tool and time',
	usage: USAGE,
	options: {
		session: { type: 'string' },
		since: { type: 'string' },
		until: { type: 'string' },
		html: { type: 'string' },
	},
	async run(options, positionals, io) {
		const str = (name: string) => options[name] as string | undefined;
		const window = parseWindow(str('since'), str('until'));
		const session = str('session');
		const sets = await resolveLogSets(positionals, io.cwd);
		const aggregator = new ReportAggregator({ ...window, ...(session === undefined ? {} : { session }) });
		const scan = await scanEvents(sets, io, 'report', (event) => aggregator.add(event));
		const result = aggregator.result(
			sets.map((set) => [...set.files]),
			scan,
		);
		const html = str('html');
		if (html !== undefined) {
			const out = resolve(io.cwd, html);
			try {
				await writeFile(
					out,
					renderHtml(result, {
						generatedAt: new Date().toISOString(),
						filter: { ...(session === undefined ? {} : { session }), ...pick(options) },
					}),
				);
			} catch (error) {
				throw new CliError(`cannot write ${html}: ${oneLine(error)}`, { cause: error });
			}
			if (options['json'] !== true) io.stderr.write(`toolwarden report: wrote ${html}\n`);
		}
		io.stdout.write(options['json'] === true ? `${JSON.stringify(result, null, 2)}\n` : formatLogReport(result));
		return EXIT.OK;
	},
};

function pick(options: Record<string, unknown>): { since?: string; until?: string } {
	return {
		...(typeof options['since'] === 'string' ? { since: options['since'] } : {}),
		...(typeof options['until'] === 'string' ? { until: options['until'] } : {}),
	};
}
