import type { CliIo } from '../Command.js';
import type { LogSet } from './logSets.js';
import { parseLine, type LoggedEvent } from './parseEvent.js';
import { Progress } from './progress.js';
import { readLines, type LineOrigin } from './readLines.js';

/** What a scan saw besides the events it handed out. */
export interface ScanStats {
	/** Lines that are JSON objects but not call events (chain repair records, future record kinds). */
	readonly otherLines: number;
	/** Torn last lines skipped (what a crash mid-write leaves). */
	readonly tornLines: number;
}

/**
 * Streams the call events of the sets, in order, to `onEvent` (awaited when it returns a promise). A corrupt line
 * throws CliError; a torn last line is skipped with one warning on stderr (unless `warn: false`, for a second pass).
 */
export async function scanEvents(
	sets: readonly LogSet[],
	io: CliIo,
	label: string,
	onEvent: (event: LoggedEvent, origin: LineOrigin) => void | Promise<void>,
	options: { readonly warn?: boolean } = {},
): Promise<ScanStats> {
	let otherLines = 0;
	let tornLines = 0;
	const total = sets.reduce((sum, set) => sum + set.bytes, 0);
	await readLines(
		sets,
		(text, origin) => {
			const parsed = parseLine(text, origin);
			if ('event' in parsed) return onEvent(parsed.event, origin);
			if ('other' in parsed) otherLines++;
			else {
				tornLines++;
				if (options.warn !== false)
					io.stderr.write(
						`toolwarden ${label}: skipped a torn last line at ${origin.file}:${origin.line} ` +
							'(a write cut short by a crash).\n',
					);
			}
			return undefined;
		},
		new Progress(io, label, total),
	);
	return { otherLines, tornLines };
}
