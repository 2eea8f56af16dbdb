import type { SessionGuards } from '../guards/SessionGuards.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { addSpend, fromMicros, usageMicros, type Usage } from '../report/sessionSpend.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { checkKeys } from '../_internal/validate.js';

/**
 * Adds real spend to a session (`warden.recordUsage`): priced by a guard that prices usage (`costBudget`'s
 * `tokenPrices`), else as `costUsd` alone. Returns the session's spend in USD.
 */
export async function recordUsage(
	storage: StorageBackend,
	redaction: RedactionPolicy,
	guards: SessionGuards,
	defaultSession: string,
	usage: Usage,
	options: { readonly sessionId?: string },
): Promise<number> {
	checkKeys(usage, ['costUsd', 'inputTokens', 'outputTokens'], 'recordUsage usage');
	checkKeys(options, ['sessionId'], 'recordUsage options');
	const sessionId = options.sessionId ?? defaultSession;
	const micros = await (guards.usage({ storage, sessionId, redaction }, usage) ??
		addSpend(storage, sessionId, usageMicros(usage, undefined)));
	return fromMicros(micros);
}
