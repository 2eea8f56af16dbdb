import { summarize } from '../audit/summarize.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';

/**
 * A tool's result as a guard keeps it in the store (the side-effect ledger, the repeat guard's last result): a
 * redacted, JSON-safe copy, so no secret sits in the store; a replay returns this copy. A result that cannot be
 * copied at all is kept as its redacted summary, so the entry is still completed.
 */
export function keepResult(redaction: RedactionPolicy, result: unknown): unknown {
	try {
		return redaction.redact(result);
	} catch {
		try {
			return summarize(result, redaction) ?? null;
		} catch {
			return '[a result that could not be read]';
		}
	}
}
