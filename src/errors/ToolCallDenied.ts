import type { DecisionSource, PreDecision } from '../decisions/decisions.js';
import { ToolWardenError } from './ToolWardenError.js';

/**
 * Thrown by `warden.run`, a wrapped function or a protected method when governance denies a call in enforce mode.
 * The tool never ran. `reason` (also the `message`) is written for the agent: it says what to do instead, and has
 * passed redaction. A denial is a decision, not a fault of the program: it carries no stack frames (its `stack` is
 * its first line; capturing frames would cost more than governing the call), and its fields say where it came from.
 *
 * @example
 * ```ts
 * try {
 *   await warden.run('read_file', { path: '.env' }, readFile);
 * } catch (error) {
 *   if (error instanceof ToolCallDenied) return { error: error.reason }; // give the reason back to the model
 *   throw error;
 * }
 * ```
 */
export class ToolCallDenied extends ToolWardenError {
	/** Why the call was denied; actionable, redacted. Same as `message`. */
	readonly reason: string;
	/** Which pipeline step denied it. */
	readonly source: DecisionSource;
	/** The rule that denied it: a contract or hook name, a limit name, `envelope`, `denialStreak`. */
	readonly rule: string;
	readonly toolName: string;
	readonly callId: string;
	/** The full pre-execution decision, with every hook and contract evaluated. */
	readonly decision: PreDecision;

	constructor(
		decision: PreDecision & { reason: string; source: DecisionSource; rule: string },
		toolName: string,
		callId: string,
	) {
		super(decision.reason);
		this.name = 'ToolCallDenied';
		this.reason = decision.reason;
		this.source = decision.source;
		this.rule = decision.rule;
		this.toolName = toolName;
		this.callId = callId;
		this.decision = decision;
	}
}
