import type { ToolEnvelope } from '../envelope/types.js';
import type { SessionView } from './SessionView.js';
import type { Verdict } from './Verdict.js';
import type { ContractType, Mode } from '../decisions/Mode.js';

export type { ContractType, Mode } from '../decisions/Mode.js';

/**
 * Options shared by every contract form.
 *
 * @example
 * ```ts
 * precondition('*', noProdWrites, { name: 'noProdWrites', when: (call) => call.environment === 'production', mode: 'observe' });
 * ```
 */
export interface ContractOptions {
	/**
	 * The rule's name in decisions, audit events and `ToolCallDenied.rule`.
	 * @default the method name (decorators), else the check function's name; for an unnamed function, the kind,
	 * selector and 1-based position in `WardenOptions.contracts` (`precondition(read_file)#2`, `sessionContract#3`)
	 */
	readonly name?: string;
	/**
	 * Evaluate the contract only for calls where this returns true. A `when` that throws fails closed like its contract.
	 * @default always
	 */
	readonly when?: (call: ToolEnvelope) => boolean | Promise<boolean>;
	/**
	 * `observe` makes this one contract non-blocking even in an enforcing Warden.
	 * @default the Warden's mode
	 */
	readonly mode?: Mode;
}

/** A precondition's check: runs before the tool, on the frozen envelope. */
export type PreconditionCheck = (call: ToolEnvelope) => Verdict | Promise<Verdict>;
/** A postcondition's check: runs after a successful tool run; a failure is a warning, never a block. */
export type PostconditionCheck = (call: ToolEnvelope, result: unknown) => Verdict | Promise<Verdict>;
/** A session contract's check: sees a snapshot of the session's counters taken before session contracts run. */
export type SessionCheck = (session: SessionView, call: ToolEnvelope) => Verdict | Promise<Verdict>;

/**
 * A rule the pipeline evaluates, made by `precondition`, `postcondition`, `sessionContract` or a behaviour guard
 * factory. Opaque: pass it in `WardenOptions.contracts`.
 */
export interface Contract {
	readonly type: ContractType;
	readonly name: string;
	/** The contract's own mode, when it overrides the Warden's. */
	readonly mode: Mode | undefined;
}
