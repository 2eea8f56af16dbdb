import { createReadStream } from 'node:fs';
import { CliError } from '../CliError.js';
import type { LogSet } from './logSets.js';
import type { Progress } from './progress.js';

/** Where a line came from, for messages that name it (`audit.jsonl.1:42`). */
export interface LineOrigin {
	readonly file: string;
	/** 1-based. */
	readonly line: number;
	/** The file ended without a newline after this line: a torn write, if it does not parse. */
	readonly unterminated: boolean;
}

/** Called per line; may return a promise (replay awaits the Warden), which is awaited before the next line. */
export type LineHandler = (text: string, origin: LineOrigin) => void | Promise<void>;

/** A line longer than this is not an audit event (events are capped at 32 KiB by default): stop, do not buffer it. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads every line of the sets' files in order (each set oldest file first), streaming: memory holds one 1 MiB
 * chunk and one partial line, whatever the file sizes. Empty lines are skipped.
 *
 * @throws CliError when a file cannot be read or holds a line over 64 MiB
 */
export async function readLines(sets: readonly LogSet[], onLine: LineHandler, progress?: Progress): Promise<void> {
	for (const set of sets) {
		for (const file of set.files) await readFileLines(file, onLine, progress);
	}
	progress?.finish();
}

async function readFileLines(file: string, onLine: LineHandler, progress: Progress | undefined): Promise<void> {
	let line = 0;
	let carry: Buffer[] = [];
	let carried = 0;
	const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			let start = 0;
			let events = 0;
			for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
				line++;
				let text: string;
				if (carried > 0) {
					carry.push(chunk.subarray(start, end));
					text = Buffer.concat(carry).toString('utf8');
					carry = [];
					carried = 0;
				} else {
					text = chunk.toString('utf8', start, end);
				}
				start = end + 1;
				if (text.length === 0 || text === '\r') continue;
				events++;
				const pending = onLine(text, { file, line, unterminated: false });
				if (pending !== undefined) await pending;
			}
			if (start < chunk.length) {
				carry.push(chunk.subarray(start));
				carried += chunk.length - start;
				if (carried > MAX_LINE_BYTES)
					throw new CliError(`${file}:${line + 1}: a line longer than 64 MiB; this is not an audit log.`);
			}
			progress?.advance(chunk.length, events);
		}
	} catch (error) {
		if (error instanceof CliError) throw error;
		throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, {
			cause: error,
		});
	} finally {
		stream.destroy();
	}
	if (carried > 0) {
		const pending = onLine(Buffer.concat(carry).toString('utf8'), { file, line: line + 1, unterminated: true });
		if (pending !== undefined) await pending;
	}
}
