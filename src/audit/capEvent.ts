import type { AuditEvent } from './AuditEvent.js';

const encoder = new TextEncoder();
const bytes = (event: AuditEvent): number => encoder.encode(JSON.stringify(event)).length;

/**
 * Shrinks an event until its JSON takes at most `maxBytes` UTF-8 bytes, re-measuring after every step: first the
 * bulky free-form parts become short previews, then the records lose their messages, and as a last resort only the
 * identifying fields and the decision remain. Marks the event `truncated: true`.
 */
export function capEvent(event: AuditEvent, maxBytes: number): AuditEvent {
	if (bytes(event) <= maxBytes) return event;
	const preview = Math.max(256, Math.floor(maxBytes / 8));
	const steps: Array<(e: AuditEvent) => AuditEvent> = [
		(e) => ({
			...e,
			toolArgs: cut(e.toolArgs, preview),
			resultSummary: e.resultSummary === null ? null : e.resultSummary.slice(0, preview),
			truncated: true,
		}),
		(e) => ({
			...e,
			principal: cut(e.principal, 256),
			metadata: { preview: cut(e.metadata, 256) },
			warnings: e.warnings.slice(0, 10).map((w) => w.slice(0, 200)),
		}),
		(e) => ({
			...e,
			error: e.error === null ? null : { type: e.error.type.slice(0, 100), message: e.error.message.slice(0, 500) },
			contractsEvaluated: e.contractsEvaluated.slice(0, 50).map(({ metadata: _dropped, ...record }) => ({
				...record,
				name: record.name.slice(0, 100),
				...(record.message === undefined ? {} : { message: record.message.slice(0, 200) }),
			})),
			hooksEvaluated: e.hooksEvaluated.slice(0, 50).map((record) => ({
				...record,
				name: record.name.slice(0, 100),
				...(record.reason === undefined ? {} : { reason: record.reason.slice(0, 200) }),
			})),
			wouldDeny: e.wouldDeny
				.slice(0, 20)
				.map((record) => ({ ...record, rule: record.rule.slice(0, 100), reason: record.reason.slice(0, 200) })),
		}),
		(e) => ({
			...e,
			sessionId: e.sessionId.slice(0, 200),
			callId: e.callId.slice(0, 200),
			parentCallId: e.parentCallId?.slice(0, 200) ?? null,
			toolName: e.toolName.slice(0, 200),
			environment: e.environment.slice(0, 100),
			toolArgs: '[TRUNCATED]',
			principal: null,
			metadata: {},
			hooksEvaluated: [],
			contractsEvaluated: [],
			wouldDeny: [],
			warnings: [],
			resultSummary: null,
			decisionRule: e.decisionRule?.slice(0, 100) ?? null,
			reason: e.reason?.slice(0, 500) ?? null,
		}),
	];
	let current = event;
	for (const step of steps) {
		current = step(current);
		if (bytes(current) <= maxBytes) break;
	}
	return current;
}

function cut(value: unknown, chars: number): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
	return text.length <= chars ? text : `${text.slice(0, chars)}…[TRUNCATED ${text.length - chars} chars]`;
}
