import type { Mode } from '../contracts/Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { SessionCounters, StorageBackend } from '../storage/StorageBackend.js';
import { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import { CountersView } from '../contracts/SessionView.js';
import { GuardTrail } from './GuardTrail.js';
import type { PreResult } from './GovernancePipeline.js';
import type { ToolRules } from './ToolRules.js';

/**
 * The state of one call's pre-execution evaluation, made once per call; views and trails only when needed. It is its
 * own decision builder (one object per call rather than two).
 */
export class Evaluation extends DecisionBuilder {
	guards: GuardTrail | undefined;
	/** The tool's rules, once looked up. */
	rules: ToolRules | undefined;
	#view: CountersView | undefined;

	constructor(
		readonly call: ToolEnvelope,
		readonly counters: SessionCounters,
		readonly storage: StorageBackend,
		mode: Mode,
	) {
		super(mode);
	}

	/** The decision being built: the evaluation itself. */
	get decision(): DecisionBuilder {
		return this;
	}

	/** The session contracts' snapshot of the counters. */
	view(): CountersView {
		return (this.#view ??= new CountersView(this.call.sessionId, this.counters));
	}

	/** The behaviour guards' trail (they learn the outcome after the run). */
	trail(redaction: RedactionPolicy): GuardTrail {
		return (this.guards ??= new GuardTrail({ call: this.call, storage: this.storage, now: Date.now(), redaction }));
	}

	result(executions: number): PreResult {
		const result = { decision: this.decision.finish(), executions, guards: this.guards };
		return this.decision.replayed === undefined ? result : { ...result, replayed: this.decision.replayed };
	}
}
