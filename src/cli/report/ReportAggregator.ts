import type { LoggedEvent } from '../input/parseEvent.js';
import type { LogReport, SessionSummary } from './LogReport.js';
import { Timeline } from './Timeline.js';
import { TopReasons } from './TopReasons.js';
import { inWindow, type TimeWindow } from './timeWindow.js';

const PRE = new Set(['call_allowed', 'call_denied', 'call_would_deny', 'call_replayed', 'call_held']);
/** A request's resolution (API §10): an event of its own, not a call. */
const RESOLUTION: Readonly<Record<string, 'granted' | 'denied' | 'expired'>> = {
	approval_granted: 'granted',
	approval_denied: 'denied',
	approval_expired: 'expired',
};
const SIDE_EFFECTS = new Set(['write', 'irreversible']);
const TOP_SESSIONS = 50;

interface SessionStats {
	calls: number;
	denied: number;
	wouldDeny: number;
	replayed: number;
	failed: number;
	first: string;
	last: string;
	/** Largest spend a costBudget record reported, in micro-dollars (exact sums). */
	spentMicros: number;
}

/** Which calls a report counts. */
export interface ReportFilter extends TimeWindow {
	readonly session?: string;
}

const bump = (counts: Record<string, number>, key: string) => {
	counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Folds audit events into a {@link LogReport}, one event at a time: memory grows with the number of sessions, rules
 * and tools (about 200 bytes a session), never with the number of events.
 */
export class ReportAggregator {
	readonly #filter: ReportFilter;
	readonly #byAction: Record<string, number> = {};
	readonly #denied = { total: 0, byRule: {} as Record<string, number>, byTool: {} as Record<string, number> };
	readonly #wouldDeny = { calls: 0, byRule: {} as Record<string, number>, byTool: {} as Record<string, number> };
	readonly #replayedByRule: Record<string, number> = {};
	readonly #held = { total: 0, byRule: {} as Record<string, number>, byTool: {} as Record<string, number> };
	readonly #approvals = { granted: 0, denied: 0, expired: 0, byApprover: {} as Record<string, number> };
	readonly #sessions = new Map<string, SessionStats>();
	readonly #reasons = new TopReasons();
	readonly #timeline = new Timeline();
	#calls = 0;
	#replayed = 0;
	#prevented = 0;
	#wouldPrevent = 0;
	#executed = 0;
	#failed = 0;
	#warnings = 0;
	#from: string | undefined;
	#until: string | undefined;

	constructor(filter: ReportFilter = {}) {
		this.#filter = filter;
	}

	add(event: LoggedEvent): void {
		if (this.#filter.session !== undefined && event.sessionId !== this.#filter.session) return;
		const time = Date.parse(event.timestamp);
		if (!inWindow(this.#filter, time)) return;
		bump(this.#byAction, event.action);
		if (this.#from === undefined || event.timestamp < this.#from) this.#from = event.timestamp;
		if (this.#until === undefined || event.timestamp > this.#until) this.#until = event.timestamp;
		const session = this.#session(event);
		if (event.action === 'call_executed') this.#executed++;
		else if (event.action === 'call_failed') {
			this.#failed++;
			session.failed++;
		} else if (event.action === 'postcondition_warning') this.#warnings++;
		const resolution = RESOLUTION[event.action];
		if (resolution !== undefined) {
			this.#approvals[resolution]++;
			if (resolution !== 'expired') bump(this.#approvals.byApprover, event.approver ?? 'unknown');
		}
		if (!PRE.has(event.action)) return;
		this.#calls++;
		session.calls++;
		this.#spend(event, session);
		const sideEffect = SIDE_EFFECTS.has(event.sideEffect ?? 'irreversible');
		const rules = wouldDenyRules(event);
		if (rules.length > 0) {
			this.#wouldDeny.calls++;
			session.wouldDeny++;
			bump(this.#wouldDeny.byTool, event.toolName);
			for (const rule of rules) bump(this.#wouldDeny.byRule, rule);
			for (const record of event.wouldDeny ?? [])
				if (typeof record.reason === 'string') this.#reasons.add(record.reason, record.rule ?? '?');
			if (sideEffect && event.action !== 'call_denied' && event.action !== 'call_replayed') this.#wouldPrevent++;
		}
		const rule = event.decisionRule ?? 'unknown';
		if (event.action === 'call_denied') {
			this.#denied.total++;
			session.denied++;
			bump(this.#denied.byRule, rule);
			bump(this.#denied.byTool, event.toolName);
			if (typeof event.reason === 'string') this.#reasons.add(event.reason, rule);
		} else if (event.action === 'call_replayed') {
			this.#replayed++;
			session.replayed++;
			bump(this.#replayedByRule, rule);
		} else if (event.action === 'call_held') {
			this.#held.total++;
			bump(this.#held.byRule, rule);
			bump(this.#held.byTool, event.toolName);
		}
		if (sideEffect && (event.action === 'call_denied' || event.action === 'call_replayed')) this.#prevented++;
		this.#timeline.add(
			time,
			event.action === 'call_denied'
				? 'denied'
				: event.action === 'call_replayed'
					? 'replayed'
					: rules.length > 0
						? 'wouldDeny'
						: 'allowed',
		);
	}

	/** The report so far. */
	result(files: string[][], scan: { otherLines: number; tornLines: number }): LogReport {
		let spentMicros = 0;
		for (const session of this.#sessions.values()) spentMicros += session.spentMicros;
		return {
			calls: this.#calls,
			sessions: this.#sessions.size,
			byAction: this.#byAction,
			denied: this.#denied,
			wouldDeny: this.#wouldDeny,
			replayed: this.#replayed,
			replayedByRule: this.#replayedByRule,
			held: this.#held,
			approvals: this.#approvals,
			sideEffectsPrevented: this.#prevented,
			sideEffectsWouldPrevent: this.#wouldPrevent,
			costUsd: spentMicros / 1e6,
			topReasons: this.#reasons.top(10),
			topReasonsApproximate: this.#reasons.approximate,
			executed: this.#executed,
			failed: this.#failed,
			postconditionWarnings: this.#warnings,
			...(this.#from === undefined ? {} : { from: this.#from }),
			...(this.#until === undefined ? {} : { until: this.#until }),
			timeline: this.#timeline.buckets(),
			topSessions: this.#topSessions(),
			otherLines: scan.otherLines,
			tornLines: scan.tornLines,
			files,
		};
	}

	#session(event: LoggedEvent): SessionStats {
		let session = this.#sessions.get(event.sessionId);
		if (session === undefined) {
			session = {
				calls: 0,
				denied: 0,
				wouldDeny: 0,
				replayed: 0,
				failed: 0,
				first: event.timestamp,
				last: event.timestamp,
				spentMicros: 0,
			};
			this.#sessions.set(event.sessionId, session);
		}
		if (event.timestamp < session.first) session.first = event.timestamp;
		if (event.timestamp > session.last) session.last = event.timestamp;
		return session;
	}

	/** Audit events carry no per-call cost; a costBudget record states the session's spend when it intervenes. */
	#spend(event: LoggedEvent, session: SessionStats): void {
		for (const record of event.contractsEvaluated ?? []) {
			if (record.name !== 'costBudget' || typeof record.metadata !== 'object' || record.metadata === null) continue;
			const spent = (record.metadata as Record<string, unknown>)['spentUsd'];
			if (typeof spent === 'number' && Number.isFinite(spent))
				session.spentMicros = Math.max(session.spentMicros, Math.round(spent * 1e6));
		}
	}

	#topSessions(): SessionSummary[] {
		const score = (s: SessionStats) => s.denied + s.wouldDeny + s.replayed;
		return [...this.#sessions]
			.sort(([a, x], [b, y]) => score(y) - score(x) || y.calls - x.calls || a.localeCompare(b))
			.slice(0, TOP_SESSIONS)
			.map(([sessionId, { calls, denied, wouldDeny, replayed, failed, first, last }]) => ({
				sessionId,
				calls,
				denied,
				wouldDeny,
				replayed,
				failed,
				first,
				last,
			}));
	}
}

/** The distinct rules of a call's would-deny records (a rule listed twice counts once for the call). */
export function wouldDenyRules(event: LoggedEvent): string[] {
	const records = event.wouldDeny;
	if (records === undefined || records.length === 0) return [];
	return [...new Set(records.map((record) => record.rule ?? 'unknown'))];
}
