import type { PreDecision } from '../../decisions/decisions.js';
import type { LoggedEvent } from '../input/parseEvent.js';

/**
 * A call's decision reduced to what replay compares. `deny` covers enforced denials and would-denies alike: replay
 * answers "would this policy stop the call", whichever mode the log or the policy runs in. `hold` is a call that
 * waits for a person's approval (API §10), or in observe mode would have: its only would-deny records are holds.
 */
export interface CallVerdict {
	readonly kind: 'allow' | 'deny' | 'replay' | 'hold';
	/** The failing rules, the headline (denying, or first would-deny) rule first; empty when allowed. */
	readonly rules: readonly string[];
	readonly reason?: string;
}

const ALLOW: CallVerdict = Object.freeze({ kind: 'allow', rules: Object.freeze([]) });

function unique(rules: Array<string | undefined | null>): string[] {
	return [...new Set(rules.map((rule) => rule ?? 'unknown'))];
}

/** An observe-mode record of a hold (source `approval`): "a person would have been asked", not a denial. */
const isHold = (record: { readonly source?: string | undefined }) => record.source === 'approval';

/** What would-deny records say when nothing blocked: a would-deny, a would-hold, or nothing. */
function fromWouldDeny(
	records: ReadonlyArray<{ readonly source?: string; readonly rule?: string | undefined }>,
	reason: { reason?: string },
): CallVerdict {
	if (records.length === 0) return ALLOW;
	const denials = records.filter((record) => !isHold(record));
	if (denials.length === 0) return { kind: 'hold', rules: unique(records.map((r) => r.rule)), ...reason };
	return { kind: 'deny', rules: unique(denials.map((r) => r.rule)), ...reason };
}

/** What the log says was decided (for an observe-mode log, the would-deny). */
export function recordedVerdict(event: LoggedEvent): CallVerdict {
	const wouldDeny = event.wouldDeny ?? [];
	const reason = typeof event.reason === 'string' ? { reason: event.reason } : {};
	if (event.action === 'call_replayed') return { kind: 'replay', rules: [event.decisionRule ?? 'unknown'], ...reason };
	if (event.action === 'call_held') return { kind: 'hold', rules: [event.decisionRule ?? 'unknown'], ...reason };
	if (event.action === 'call_denied')
		return { kind: 'deny', rules: unique([event.decisionRule, ...wouldDeny.map((r) => r.rule)]), ...reason };
	return fromWouldDeny(wouldDeny, reason);
}

/** What the policy decides now. */
export function replayedVerdict(decision: PreDecision): CallVerdict {
	const reason = decision.reason === undefined ? {} : { reason: decision.reason };
	if (decision.action === 'replay') return { kind: 'replay', rules: [decision.rule ?? 'unknown'], ...reason };
	if (decision.action === 'hold') return { kind: 'hold', rules: [decision.rule ?? 'unknown'], ...reason };
	if (decision.action === 'deny')
		return { kind: 'deny', rules: unique([decision.rule, ...decision.wouldDeny.map((r) => r.rule)]), ...reason };
	return fromWouldDeny(decision.wouldDeny, reason);
}

const MARKER = '[REDACTED]';

/**
 * Whether the recorded args cannot be trusted to be the args the call was made with: a value was redacted (the
 * policy would see `[REDACTED]`, not the secret), or the event was cut to its size cap.
 */
export function isUncertain(event: LoggedEvent): boolean {
	if (event.truncated === true) return true;
	if (typeof event.toolArgs !== 'object' || event.toolArgs === null)
		return event.toolArgs !== undefined && event.toolArgs !== null;
	return holdsMarker(event.toolArgs, 0);
}

function holdsMarker(value: unknown, depth: number): boolean {
	if (typeof value === 'string') return value.includes(MARKER);
	if (typeof value !== 'object' || value === null || depth > 100) return false;
	for (const item of Array.isArray(value) ? value : Object.values(value)) if (holdsMarker(item, depth + 1)) return true;
	return false;
}
