import { createEnvelope } from '../envelope/createEnvelope.js';
import type { CallOptions, ToolEnvelope, ToolSpec } from '../envelope/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { SessionGuards } from '../guards/SessionGuards.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { checkKeys } from '../_internal/validate.js';
import { envelopeOptions } from './envelopeOptions.js';

/** What `warden.reconcile` needs of its Warden. */
export interface ReconcileHost {
	readonly storage: StorageBackend;
	readonly redaction: RedactionPolicy;
	readonly guards: SessionGuards;
	readonly tools: Readonly<Record<string, ToolSpec>>;
	readonly sessionId: string;
	readonly environment: string;
}

/** Settles a call in the guards that keep calls (`Guard.reconcile`): see `Warden.reconcile`. */
export async function reconcile(
	host: ReconcileHost,
	toolName: string,
	args: object,
	outcome: { readonly executed: boolean; readonly result?: unknown },
	options: CallOptions | undefined,
): Promise<void> {
	checkKeys(outcome, ['executed', 'result'], 'reconcile outcome');
	if (!host.guards.reconciles)
		throw new ConfigError('reconcile() needs a sideEffectLedger in WardenOptions.contracts.');
	const sessionId = options?.sessionId ?? host.sessionId;
	const call = createEnvelope(
		toolName,
		args,
		envelopeOptions(host.tools, sessionId, options?.environment ?? host.environment, options),
	) as ToolEnvelope;
	const settled = {
		executed: outcome.executed === true,
		...(outcome.result === undefined ? {} : { result: outcome.result }),
	};
	await host.guards.reconcile({ storage: host.storage, sessionId, redaction: host.redaction }, call, settled);
}
