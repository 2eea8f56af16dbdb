import { contractDecorator, defineContract } from './defineContract.js';
import type { Contract, ContractOptions, PostconditionCheck } from './Contract.js';
import type { MethodDecorator } from './decorator.js';
import type { ToolSelector } from './ToolSelector.js';

/**
 * A rule checked after the tool ran successfully, on the envelope and the result. A failure never blocks (the tool
 * already ran): it becomes a warning in the `PostDecision` and a `postcondition_warning` audit event.
 *
 * Function form `postcondition(selector, check, options?)`; decorator form `@postcondition(selector, options?)`.
 * Named like {@link precondition}'s rules (`postcondition(search)#3` when nothing else names it).
 *
 * @example
 * ```ts
 * postcondition('search', (call, result) =>
 *   Array.isArray(result) && result.length > 0 ? Verdict.pass() : Verdict.fail('No results: broaden the query.'));
 * ```
 */
export function postcondition(selector: ToolSelector, check: PostconditionCheck, options?: ContractOptions): Contract;
export function postcondition(selector: ToolSelector, options?: ContractOptions): MethodDecorator<PostconditionCheck>;
export function postcondition(
	selector: ToolSelector,
	checkOrOptions?: PostconditionCheck | ContractOptions,
	options?: ContractOptions,
): Contract | MethodDecorator<PostconditionCheck> {
	if (typeof checkOrOptions === 'function')
		return defineContract('postcondition', selector, checkOrOptions, options, 'postcondition');
	return contractDecorator('@postcondition', 'postcondition', selector, checkOrOptions);
}
