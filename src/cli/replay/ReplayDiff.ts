import type { LoggedEvent } from '../input/parseEvent.js';
import type { CallVerdict } from './verdicts.js';

/** Calls that changed, by rule and by tool. */
export interface ChangeCounts {
	readonly total: number;
	readonly byRule: Record<string, number>;
	readonly byTool: Record<string, number>;
}

/** One changed call, as the log recorded it and as the policy decides it now. */
export interface ReplayExample {
	readonly change: 'newlyDenied' | 'newlyAllowed' | 'differentRule' | 'replayChanged' | 'newlyHeld' | 'noLongerHeld';
	readonly sessionId: string;
	readonly callId: string;
	readonly toolName: string;
	readonly timestamp: string;
	/** The args as logged (redacted). */
	readonly args: unknown;
	readonly recorded: CallVerdict;
	readonly replayed: CallVerdict;
}

/**
 * What `toolwarden replay --json` prints (API §11; fields past the contract's are extras). A call failing several
 * rules counts once in `total` and once per rule in `byRule`: the policy's rules for `newlyDenied`, the log's for
 * `newlyAllowed`, `"old -> new"` headline pairs for `differentRule`.
 */
export interface ReplayResult {
	/** Calls replayed. */
	readonly calls: number;
	/** Calls whose recorded args held a redacted value (or were cut): replayed, but not compared. */
	readonly uncertain: number;
	readonly newlyDenied: ChangeCounts;
	readonly newlyAllowed: ChangeCounts;
	/** Calls denied (or held for approval) both times, but with a different headline rule. */
	readonly differentRule: number;
	readonly differentRuleDetail: Omit<ChangeCounts, 'total'>;
	/** Calls that move to or from a replayed answer (a behaviour guard returning a recorded result). */
	readonly replayChanged: ChangeCounts;
	/** Calls the policy would hold for a person's approval (API §10) that the log did not hold (by the policy's rule). */
	readonly newlyHeld: ChangeCounts;
	/** Calls the log held for approval that the policy allows or denies outright (by the log's holding rule). */
	readonly noLongerHeld: ChangeCounts;
	readonly unchanged: number;
	/** Up to five examples per kind of change. */
	readonly examples: ReplayExample[];
}

const EXAMPLES_PER_KIND = 5;

const counts = () => ({ total: 0, byRule: {} as Record<string, number>, byTool: {} as Record<string, number> });
const bump = (record: Record<string, number>, key: string) => {
	record[key] = (record[key] ?? 0) + 1;
};

/** Compares recorded and replayed verdicts call by call, keeping counts and a few examples (bounded memory). */
export class ReplayDiff {
	#calls = 0;
	#uncertain = 0;
	#unchanged = 0;
	readonly #newlyDenied = counts();
	readonly #newlyAllowed = counts();
	readonly #differentRule = counts();
	readonly #replayChanged = counts();
	readonly #newlyHeld = counts();
	readonly #noLongerHeld = counts();
	readonly #examples: ReplayExample[] = [];
	readonly #perKind = new Map<ReplayExample['change'], number>();

	add(event: LoggedEvent, recorded: CallVerdict, replayed: CallVerdict, uncertain: boolean): void {
		this.#calls++;
		if (uncertain) {
			this.#uncertain++;
			return;
		}
		if (recorded.kind === replayed.kind && (recorded.kind === 'allow' || recorded.rules[0] === replayed.rules[0])) {
			this.#unchanged++;
			return;
		}
		let change: ReplayExample['change'];
		if (recorded.kind === replayed.kind && (recorded.kind === 'deny' || recorded.kind === 'hold')) {
			change = 'differentRule';
			this.#differentRule.total++;
			bump(this.#differentRule.byRule, `${recorded.rules[0] ?? '?'} -> ${replayed.rules[0] ?? '?'}`);
			bump(this.#differentRule.byTool, event.toolName);
		} else if (replayed.kind === 'hold') {
			change = 'newlyHeld';
			this.#count(this.#newlyHeld, replayed.rules, event.toolName);
		} else if (recorded.kind === 'hold') {
			change = 'noLongerHeld';
			this.#count(this.#noLongerHeld, recorded.rules, event.toolName);
		} else if (replayed.kind === 'deny') {
			change = 'newlyDenied';
			this.#count(this.#newlyDenied, replayed.rules, event.toolName);
		} else if (recorded.kind === 'deny' && replayed.kind === 'allow') {
			change = 'newlyAllowed';
			this.#count(this.#newlyAllowed, recorded.rules, event.toolName);
		} else {
			change = 'replayChanged';
			this.#count(this.#replayChanged, replayed.kind === 'replay' ? replayed.rules : recorded.rules, event.toolName);
		}
		const shown = this.#perKind.get(change) ?? 0;
		if (shown < EXAMPLES_PER_KIND) {
			this.#perKind.set(change, shown + 1);
			this.#examples.push({
				change,
				sessionId: event.sessionId,
				callId: event.callId,
				toolName: event.toolName,
				timestamp: event.timestamp,
				args: event.toolArgs,
				recorded,
				replayed,
			});
		}
	}

	result(): ReplayResult {
		const { total, ...differentRuleDetail } = this.#differentRule;
		return {
			calls: this.#calls,
			uncertain: this.#uncertain,
			newlyDenied: this.#newlyDenied,
			newlyAllowed: this.#newlyAllowed,
			differentRule: total,
			differentRuleDetail,
			replayChanged: this.#replayChanged,
			newlyHeld: this.#newlyHeld,
			noLongerHeld: this.#noLongerHeld,
			unchanged: this.#unchanged,
			examples: this.#examples,
		};
	}

	#count(
		into: { total: number; byRule: Record<string, number>; byTool: Record<string, number> },
		rules: readonly string[],
		tool: string,
	): void {
		into.total++;
		for (const rule of rules) bump(into.byRule, rule);
		bump(into.byTool, tool);
	}
}
