import type { ApprovalInfo } from './ApprovalRequest.js';
import type { ResolvedHold } from './holdOptions.js';
import type { Mode } from './Mode.js';
import type { ContractRecord, DecisionSource, DenialRecord, HookRecord, PreDecision } from './decisions.js';

const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * Collects what the pre-execution steps found and decides: in enforce mode the first blocking failure wins; every
 * failure that does not block (observe mode, observe-mode contracts) is kept in `wouldDeny`.
 */
export class DecisionBuilder {
	// Most calls record no hook and no failure: the arrays are only allocated when something is pushed.
	hooks: HookRecord[] = NONE;
	/** The records pushed once they left {@link expect}'s sequence (NONE while they follow it). */
	#contracts: ContractRecord[] = NONE;
	/** What the records will be if every rule passes; `#matched` of them were recorded, in order. */
	#expected: readonly ContractRecord[] = NONE;
	#matched = 0;
	/** The decision when every rule passed with nothing else to record: shared by such calls. */
	#allowed: PreDecision | undefined;
	wouldDeny: DenialRecord[] = NONE;
	denial: DenialRecord | undefined;
	/** Set when a behaviour guard answered with a recorded result: the call completes without running. */
	replayed: { readonly result: unknown } | undefined;
	/** The first rule that asked for approval; evaluation goes on (a later denial still wins). */
	held: { readonly rule: string; readonly message: string; readonly options: ResolvedHold } | undefined;
	/** The request a held call waits for (set once the store answered). */
	approval: ApprovalInfo | undefined;
	/** The grant the call consumed, or the request that denied it. */
	approvalId: string | undefined;

	constructor(readonly mode: Mode) {}

	/** A guard replays a recorded result; returns true when that ends evaluation (it does unless observing). */
	replay(rule: string, reason: string, result: unknown, observedRule: boolean): boolean {
		if (this.fail('behavior', rule, reason, observedRule)) {
			this.replayed = { result };
			return true;
		}
		return false;
	}

	/**
	 * A rule asks for approval. In observe mode (or for an observe-mode rule) it is a would-deny with source
	 * `approval`; otherwise the first hold is kept and evaluation goes on. Never ends evaluation.
	 */
	hold(rule: string, message: string, options: ResolvedHold, observedRule: boolean): void {
		if (this.mode === 'observe' || observedRule) this.fail('approval', rule, message, true);
		else this.held ??= { rule, message, options };
	}

	addHook(record: HookRecord): void {
		if (this.hooks === NONE) this.hooks = [];
		this.hooks.push(record);
	}

	/**
	 * The records of the call's rules if each passes, in evaluation order (one frozen array per tool, made once).
	 * While the recorded ones follow it, nothing is copied: a call whose rules all pass shares that array.
	 */
	expect(records: readonly ContractRecord[], allowed?: PreDecision): void {
		this.#expected = records;
		this.#allowed = allowed;
	}

	addContract(record: ContractRecord): void {
		if (this.#contracts === NONE) {
			if (this.#expected[this.#matched] === record) {
				this.#matched++;
				return;
			}
			this.#contracts = this.#expected.slice(0, this.#matched);
			this.#matched = 0;
		}
		this.#contracts.push(record);
	}

	/** The contract records so far, in evaluation order. */
	get contracts(): readonly ContractRecord[] {
		if (this.#contracts !== NONE || this.#matched === 0) return this.#contracts;
		return this.#matched === this.#expected.length ? this.#expected : this.#expected.slice(0, this.#matched);
	}

	/** Records a failure; returns true when it blocks the call (evaluation stops). */
	fail(source: DecisionSource, rule: string, reason: string, observedRule = false): boolean {
		if (this.mode === 'enforce' && !observedRule) {
			this.denial = { source, rule, reason };
			return true;
		}
		if (this.wouldDeny === NONE) this.wouldDeny = [];
		this.wouldDeny.push({ source, rule, reason });
		return false;
	}

	/** Whether the call runs whatever the limits say (observe mode counts the execution and records would-deny). */
	get observing(): boolean {
		return this.mode === 'observe';
	}

	finish(): PreDecision {
		const { hooks, contracts, wouldDeny, mode, approvalId } = this;
		const extra = approvalId === undefined ? undefined : { approvalId };
		if (this.denial === undefined && this.approval !== undefined && this.held !== undefined) {
			const { rule, message } = this.held;
			return {
				action: 'hold',
				mode,
				reason: message,
				source: 'approval',
				rule,
				hooks,
				contracts,
				wouldDeny,
				approval: this.approval,
			};
		}
		const headline = this.denial ?? wouldDeny[0];
		if (
			headline === undefined &&
			extra === undefined &&
			hooks === NONE &&
			this.#allowed !== undefined &&
			contracts === this.#allowed.contracts
		)
			return this.#allowed;
		if (headline === undefined)
			return extra === undefined
				? { action: 'allow', mode, hooks, contracts, wouldDeny }
				: { action: 'allow', mode, hooks, contracts, wouldDeny, ...extra };
		const action = this.denial === undefined ? 'allow' : this.replayed === undefined ? 'deny' : 'replay';
		return {
			action,
			mode,
			reason: headline.reason,
			source: headline.source,
			rule: headline.rule,
			hooks,
			contracts,
			wouldDeny,
			...extra,
		};
	}
}
