import { CliError } from '../CliError.js';
import type { LineOrigin } from './readLines.js';

/**
 * The fields of an audit event (API §6) the CLI reads. Lines are the sink's JSON, so every field is checked before
 * use; a hash-chained line's `seq`/`prevHash`/`hash` are ignored here (`verify` checks them).
 */
export interface LoggedEvent {
	readonly timestamp: string;
	readonly sessionId: string;
	readonly callId: string;
	readonly parentCallId?: string | null;
	readonly toolName: string;
	readonly toolArgs?: unknown;
	readonly sideEffect?: string;
	readonly environment?: string;
	readonly principal?: unknown;
	readonly mode?: string;
	readonly action: string;
	readonly decisionSource?: string | null;
	readonly decisionRule?: string | null;
	readonly reason?: string | null;
	readonly contractsEvaluated?: ReadonlyArray<{ readonly name?: unknown; readonly metadata?: unknown }>;
	readonly wouldDeny?: ReadonlyArray<{ readonly source?: string; readonly rule?: string; readonly reason?: string }>;
	readonly error?: { readonly type?: string; readonly message?: string } | null;
	readonly resultSummary?: string | null;
	readonly metadata?: unknown;
	/** The approval request the event is about (API §10): on `call_held`, `approval_*` and a granted call's events. */
	readonly approvalId?: string;
	/** Who resolved the request: on `approval_granted` and `approval_denied`. */
	readonly approver?: string;
	readonly truncated?: boolean;
}

/** What a line turned out to be: a call event, or another record (a chain repair, a future event kind) to skip. */
export type ParsedLine = { readonly event: LoggedEvent } | { readonly other: true } | { readonly torn: true };

/**
 * Parses one line. A line that is not JSON is a corrupt log (CliError, exit 2), except an unterminated last line,
 * which is what a crash mid-write leaves (API §6.1): reported as torn, for the caller to warn about and skip.
 */
export function parseLine(text: string, origin: LineOrigin): ParsedLine {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		if (origin.unterminated) return { torn: true };
		throw new CliError(`${origin.file}:${origin.line}: not valid JSON (a corrupt line): ${preview(text)}`);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new CliError(`${origin.file}:${origin.line}: not an audit event (a JSON object per line): ${preview(text)}`);
	const record = value as Record<string, unknown>;
	if (
		typeof record['action'] !== 'string' ||
		typeof record['sessionId'] !== 'string' ||
		typeof record['toolName'] !== 'string'
	)
		return { other: true };
	return { event: record as unknown as LoggedEvent };
}

function preview(text: string): string {
	return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
