import type { ChainLink } from './chainLine.js';

/** A chunk of lines bound for one file: record lines first, then events; `ends` are cumulative byte offsets. */
export interface Chunk {
	/** The chain link before the chunk's first line. */
	readonly start: ChainLink;
	/** How many leading lines are records (repairs, then a gap). */
	meta: number;
	readonly lines: string[];
	readonly ends: number[];
	readonly records: string[];
	readonly gap: Gap | undefined;
	bytes: number;
}

/** Events lost since the last `gap` line was written, and why. */
export interface Gap {
	lost: number;
	readonly reasons: Set<string>;
}
