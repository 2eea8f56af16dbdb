import { parseChainLine, type ChainLink, type ParsedChainLine } from './chainLine.js';
import type { TamperKind } from './verifyAuditLog.js';

/** One line of a file set, as `verifyAuditLog` reads it. */
export interface Line {
	readonly text: string;
	readonly where: string;
	/** The file's last line, without its newline: a torn write. */
	readonly torn: boolean;
	readonly firstOfFile: boolean;
}

/** Why a line's key does not fit the verification's key, if it does not. */
export function checkKey(line: ParsedChainLine, keyed: { readonly kid: string } | undefined): string | undefined {
	if (line.kid === undefined)
		return keyed === undefined
			? undefined
			: 'the line is not keyed, but a key was given: written by a keyless sink, or forged without the key';
	if (keyed === undefined) return `the chain is keyed (key id ${line.kid}): verify with its key ({ key })`;
	return keyed.kid === line.kid
		? undefined
		: `the line was signed with another key (key id ${line.kid}; the given key's id is ${keyed.kid})`;
}

/** The lines after the one being checked, as `verifyAuditLog` reads them: looked ahead, then read to the end. */
export interface UpcomingLines {
	/** The line `offset` places after the current one (0: the very next), without consuming it. */
	peek(offset: number): Promise<Line | undefined>;
	/** Consumes and returns the next line (undefined at the end); only called once the set has failed. */
	take(): Promise<Line | undefined>;
}

/**
 * Why a line does not follow the previous one: an insertion, a move, a deletion or a rewrite. It looks two lines
 * ahead, and to tell a move from a deletion reads on (this set has failed; nothing after it is verified).
 */
export async function misplaced(
	current: Line,
	upcoming: UpcomingLines,
	line: ParsedChainLine,
	prev: ChainLink,
): Promise<[TamperKind, number, string]> {
	const where = current.where;
	const expected = prev.seq + 1;
	const next = parse(await upcoming.peek(0));
	const afterNext = parse(await upcoming.peek(1));
	if (
		next !== undefined &&
		next.seq === expected &&
		next.prevHash === prev.hash &&
		(afterNext === undefined || (afterNext.seq === expected + 1 && afterNext.prevHash === next.hash))
	) {
		return [
			'inserted',
			line.seq,
			`${where}: a line that is not part of the chain (seq ${line.seq}) was inserted after seq ${prev.seq}`,
		];
	}
	for (let rest = await upcoming.take(); rest !== undefined; rest = await upcoming.take()) {
		if (parse(rest)?.seq === expected)
			return [
				'reordered',
				line.seq,
				`${where}: seq ${line.seq} stands where seq ${expected} belongs, which comes later: lines were moved`,
			];
	}
	if (line.seq > expected) {
		const between = current.firstOfFile
			? ' (at the start of this file: a file, or the lines around it, are missing)'
			: '';
		return [
			'deleted',
			line.seq,
			`${where}: seq jumps from ${prev.seq} to ${line.seq}${between}: ${line.seq - expected} line(s) were deleted`,
		];
	}
	if (line.seq === expected)
		return [
			'modified',
			line.seq,
			`${where}: its prevHash does not match the hash of seq ${prev.seq}: this line or the chain before it was rewritten`,
		];
	return [
		'inserted',
		line.seq,
		`${where}: seq ${line.seq} repeats or goes back after seq ${prev.seq}: a line was inserted`,
	];
}

function parse(line: Line | undefined): ParsedChainLine | undefined {
	return line === undefined || line.torn ? undefined : parseChainLine(line.text);
}

/** Adds what a writer's record line says (a `gap` of lost events, a `repair`) to the counts. */
export function countRecord(text: string, lost: number, repairs: number): { lost: number; repairs: number } {
	try {
		const record = JSON.parse(text) as { record?: string; lost?: number };
		if (record.record === 'gap' && typeof record.lost === 'number') return { lost: lost + record.lost, repairs };
		if (record.record === 'repair') return { lost, repairs: repairs + 1 };
	} catch {
		// The hash matched, so the writer wrote it; an unparsable record only loses its counts.
	}
	return { lost, repairs };
}
