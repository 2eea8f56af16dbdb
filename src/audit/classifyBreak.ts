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

/** Why a line does not follow the previous one: an insertion, a move, a deletion or a rewrite. */
export function misplaced(
	lines: readonly Line[],
	index: number,
	line: ParsedChainLine,
	prev: ChainLink,
): [TamperKind, number, string] {
	const where = (lines[index] as Line).where;
	const expected = prev.seq + 1;
	const next = parseAt(lines, index + 1);
	const afterNext = parseAt(lines, index + 2);
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
	for (let i = index + 1; i < lines.length; i++) {
		if (parseAt(lines, i)?.seq === expected)
			return [
				'reordered',
				line.seq,
				`${where}: seq ${line.seq} stands where seq ${expected} belongs, which comes later: lines were moved`,
			];
	}
	if (line.seq > expected) {
		const between = (lines[index] as Line).firstOfFile
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

function parseAt(lines: readonly Line[], index: number): ParsedChainLine | undefined {
	const line = lines[index];
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
