import type { GuardRule } from '../guards/defineGuard.js';
import type { GuardContext } from '../guards/Guard.js';

/**
 * The behaviour guards evaluated for one call, in order, and whether each passed: one record per call. Nearly every
 * guard passes, so only the ones that did not are noted (one array per call, not two).
 */
export class GuardTrail {
	readonly rules: GuardRule[] = [];
	/** Indices in `rules` of the guards that did not pass, or undefined when all did. */
	#failed: number[] | undefined;
	/** Whether any guard evaluated learns the outcome (`post`): otherwise there is nothing to tell after the run. */
	learnsOutcome = false;

	constructor(readonly context: GuardContext) {}

	add(rule: GuardRule, passed: boolean): void {
		if (!passed) (this.#failed ??= []).push(this.rules.length);
		this.rules.push(rule);
		if (rule.guard.post !== undefined) this.learnsOutcome = true;
	}

	/** Whether the `index`-th guard evaluated passed. */
	passed(index: number): boolean {
		return index < this.rules.length && (this.#failed === undefined || !this.#failed.includes(index));
	}
}
