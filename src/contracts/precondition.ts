import { contractDecorator, defineContract } from './defineContract.js';
import type { Contract, ContractOptions, PreconditionCheck } from './Contract.js';
import type { MethodDecorator } from './decorator.js';
import type { ToolSelector } from './ToolSelector.js';

/**
 * A rule checked before the tool runs, on the frozen envelope. A failing precondition denies the call (source
 * `precondition`) with its message, unless it or the Warden is in observe mode.
 *
 * Function form: `precondition(selector, check, options?)` returns a {@link Contract}. Decorator form:
 * `@precondition(selector, options?)` on a method of a contract class; the method is the check, `this` is the
 * instance you pass in `contracts`, and the rule is named after the method. A function-form rule is named by
 * `options.name`, else its function's name, else its kind, selector and position (`precondition(read_file)#2`).
 *
 * @example
 * ```ts
 * const noDotEnv = precondition('read_file', (call) =>
 *   String(call.args.path).endsWith('.env') ? Verdict.fail('Reading .env files is not allowed.') : Verdict.pass());
 *
 * class Safety {
 *   @precondition(['write_file', 'edit_file'])
 *   stayInWorkspace(call: ToolEnvelope) {
 *     return call.filePath?.startsWith('/workspace/') ? Verdict.pass() : Verdict.fail('Write only under /workspace/.');
 *   }
 * }
 * new Warden({ contracts: [noDotEnv, new Safety()] });
 * ```
 */
export function precondition(selector: ToolSelector, check: PreconditionCheck, options?: ContractOptions): Contract;
export function precondition(selector: ToolSelector, options?: ContractOptions): MethodDecorator<PreconditionCheck>;
export function precondition(
	selector: ToolSelector,
	checkOrOptions?: PreconditionCheck | ContractOptions,
	options?: ContractOptions,
): Contract | MethodDecorator<PreconditionCheck> {
	if (typeof checkOrOptions === 'function')
		return defineContract('precondition', selector, checkOrOptions, options, 'precondition');
	return contractDecorator('@precondition', 'precondition', selector, checkOrOptions);
}
