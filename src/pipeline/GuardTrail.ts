import type { GuardRule } from '../guards/defineGuard.js';
import type { GuardContext } from '../guards/Guard.js';

/** The behaviour guards evaluated for one call, in order, and whether each passed: one record per call. */
export class GuardTrail {
	readonly rules: GuardRule[] = [];
	readonly passed: boolean[] = [];
	/** Whether any guard evaluated learns the outcome (`post`): otherwise there is nothing to tell after the run. */
	learnsOutcome = false;

	constructor(readonly context: GuardContext) {}

	add(rule: GuardRule, passed: boolean): void {
		this.rules.push(rule);
		this.passed.push(passed);
		if (rule.guard.post !== undefined) this.learnsOutcome = true;
	}
}
