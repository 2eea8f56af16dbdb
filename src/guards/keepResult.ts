import { summarize } from '../audit/summarize.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';

/**
 * A tool's result as a guard keeps it in the store (the side-effect ledger, the repeat guard's last result): a
 * redacted, JSON-safe copy, so no secret sits in the store; a replay returns this copy. A result that cannot be
 * copied at all is kept as its redacted summary, so the entry is still completed.
 */
export function keepResult(redaction: RedactionPolicy, result: unknown): unknown {
	// A number, a boolean, null or nothing holds no secret (redaction returns it as is): kept without a walk.
	if (result === null || result === undefined || typeof result === 'number' || typeof result === 'boolean')
		return result;
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
