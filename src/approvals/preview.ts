import type { ToolEnvelope } from '../envelope/types.js';
import { InvalidArgs } from '../errors/InvalidArgs.js';
import { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import type { PreDecision } from '../decisions/decisions.js';
import type { GovernancePipeline } from '../pipeline/GovernancePipeline.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { capMessage, errorMessage, errorName } from '../_internal/text.js';
import type { ApprovalGate } from '../pipeline/ApprovalGate.js';
import { PreviewStorage } from './PreviewStorage.js';

/** What a preview needs of the Warden. */
export interface PreviewDeps {
	readonly pipeline: GovernancePipeline;
	readonly storage: StorageBackend;
	readonly gate: ApprovalGate;
	readonly mode: PreDecision['mode'];
	readonly redaction: RedactionPolicy;
	readonly sessionId: string;
	/** Builds the call's envelope (throws `InvalidArgs` for args that cannot be snapshotted). */
	readonly envelope: (callIndex: number) => ToolEnvelope;
}

/**
 * The decision a call would get now, with no side effect at all: no attempt counted, no execution reserved, no
 * guard state written, no request opened or consumed, no audit event, no span. A store failure is a denial (source
 * `storage_unavailable`), as it would be for the call.
 */
export async function previewCall(deps: PreviewDeps): Promise<PreDecision> {
	const storage = new PreviewStorage(deps.storage);
	try {
		const totals = await deps.storage.totals(deps.sessionId);
		const counters = { ...totals, attempts: totals.attempts + 1 };
		let envelope: ToolEnvelope;
		try {
			envelope = deps.envelope(counters.attempts);
		} catch (error) {
			if (!(error instanceof InvalidArgs)) throw error;
			const reason = deps.redaction.redactText(`${error.message}. Send the arguments as plain JSON data.`);
			return {
				action: 'deny',
				mode: deps.mode,
				reason,
				source: 'invalid_input',
				rule: 'envelope',
				hooks: [],
				contracts: [],
				wouldDeny: [],
			};
		}
		return (await deps.pipeline.pre(envelope, counters, storage, deps.gate)).decision;
	} catch (error) {
		if (error instanceof TypeError || error instanceof RangeError) throw error;
		const builder = new DecisionBuilder(deps.mode);
		const reason = `Governance is unavailable (session store: ${errorName(error)}: ${errorMessage(error)}).`;
		builder.fail('storage_unavailable', 'storage', capMessage(deps.redaction.redactText(reason)));
		return builder.finish();
	}
}
