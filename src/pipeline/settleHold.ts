import type { ToolEnvelope } from '../envelope/types.js';
import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { capMessage } from '../_internal/text.js';
import { isThenable } from '../_internal/isThenable.js';
import type { DecisionBuilder } from '../decisions/DecisionBuilder.js';
import { limitMessages } from './limitMessages.js';
import type { ApprovalGate } from './ApprovalGate.js';
import type { Limits } from './GovernancePipeline.js';

/** Asks the approval gate about a held call; true when a grant lets it run (it then reserves like any call). */
export async function settleHold(
	call: ToolEnvelope,
	decision: DecisionBuilder,
	gate: ApprovalGate | undefined,
	redaction: RedactionPolicy,
): Promise<boolean> {
	const held = decision.held as NonNullable<DecisionBuilder['held']>;
	if (gate === undefined)
		return !decision.fail(
			'approval',
			held.rule,
			`${held.message} (No approval store is configured, so the call cannot wait for approval.)`,
		);
	const answer = await gate(call, held);
	if (answer.kind === 'granted') {
		decision.approvalId = answer.approvalId;
		return true;
	}
	if (answer.kind === 'held') {
		decision.approval = answer.approval;
		return false;
	}
	if (answer.approvalId !== undefined) decision.approvalId = answer.approvalId;
	decision.fail('approval', held.rule, redaction.redactText(capMessage(answer.reason)));
	return false;
}

/** Step 5 for a held call: the limits are checked (a call over them is denied) but nothing is reserved. */
export async function withinLimits(
	call: ToolEnvelope,
	decision: DecisionBuilder,
	storage: StorageBackend,
	limits: Limits,
): Promise<boolean> {
	const maxForTool = limits.maxCallsPerTool[call.toolName] ?? Infinity;
	if (limits.maxToolCalls === Infinity && maxForTool === Infinity) return true;
	let totals = storage.totals(call.sessionId);
	if (isThenable(totals)) totals = await totals;
	if (totals.executions + 1 > limits.maxToolCalls)
		return !decision.fail('execution_limit', 'maxToolCalls', limitMessages.total(limits.maxToolCalls));
	if ((totals.toolExecutions[call.toolName] ?? 0) + 1 > maxForTool)
		return !decision.fail('tool_limit', 'maxCallsPerTool', limitMessages.perTool(call.toolName, maxForTool));
	return true;
}
