import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Line } from './classifyBreak.js';

/** Read size: big enough that per-chunk costs vanish, small enough that memory stays flat whatever the file size. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The lines of a chain's files, oldest file first, read as streams: memory holds one chunk, one partial line and the
 * few lines looked ahead, whatever the files' sizes. Each line's text is its exact bytes decoded as UTF-8, as a
 * whole-file read would give them (a newline byte never occurs inside a UTF-8 sequence, so splitting on it first
 * changes nothing). A file's last line without a newline is `torn`; empty lines are kept (they are not chained lines).
 */
export class ChainLineReader {
	readonly #source: AsyncIterator<Line[]>;
	/** Lines read but not yet taken; `#next` is the first of them. */
	#buffer: Line[] = [];
	#next = 0;

	constructor(files: readonly string[]) {
		this.#source = linesOf(files)[Symbol.asyncIterator]();
	}

	/** The next line, or undefined at the end of the last file. */
	async take(): Promise<Line | undefined> {
		if (this.#next >= this.#buffer.length && !(await this.#fill())) return undefined;
		return this.#buffer[this.#next++];
	}

	/** The line `offset` places after the next one (0: the next one), without taking it. */
	async peek(offset: number): Promise<Line | undefined> {
		while (this.#next + offset >= this.#buffer.length) if (!(await this.#fill())) return undefined;
		return this.#buffer[this.#next + offset];
	}

	/** Stops reading (closes the open file). */
	async close(): Promise<void> {
		await this.#source.return?.();
	}

	async #fill(): Promise<boolean> {
		const step: IteratorResult<Line[]> = await this.#source.next();
		if (step.done === true) return false;
		const value = step.value;
		// Keep what peek() looked at and nothing already taken: the buffer never grows past one chunk's lines.
		this.#buffer = this.#next >= this.#buffer.length ? value : [...this.#buffer.slice(this.#next), ...value];
		this.#next = 0;
		return true;
	}
}

/**
 * Fails, with the error a read would give, when a file cannot be read at all (missing, a directory, no permission):
 * checked for every file before any line is verified, as a whole-file read of each did.
 */
export async function assertReadable(file: string): Promise<void> {
	const handle = await open(file, 'r');
	try {
		await handle.read(Buffer.alloc(1), 0, 1, 0);
	} finally {
		await handle.close();
	}
}

async function* linesOf(files: readonly string[]): AsyncGenerator<Line[]> {
	for (const file of files) yield* fileLines(file);
}

async function* fileLines(file: string): AsyncGenerator<Line[]> {
	let number = 0;
	let carry: Buffer[] = [];
	const line = (text: string, torn: boolean): Line => {
		number++;
		return { text, where: `${file}:${number}`, torn, firstOfFile: number === 1 };
	};
	const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			const lines: Line[] = [];
			let start = 0;
			for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
				if (carry.length > 0) {
					carry.push(chunk.subarray(start, end));
					lines.push(line(Buffer.concat(carry).toString('utf8'), false));
					carry = [];
				} else {
					lines.push(line(chunk.toString('utf8', start, end), false));
				}
				start = end + 1;
			}
			// A copy: the stream may reuse its chunk's memory once we move on.
			if (start < chunk.length) carry.push(Buffer.from(chunk.subarray(start)));
			if (lines.length > 0) yield lines;
		}
	} finally {
		stream.destroy();
	}
	if (carry.length > 0) yield [line(Buffer.concat(carry).toString('utf8'), true)];
}
