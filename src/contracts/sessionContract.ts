import { contractDecorator, defineContract } from './defineContract.js';
import { isDecoratorCall } from './decoratorMeta.js';
import type { Contract, ContractOptions, SessionCheck } from './Contract.js';
import type { MethodDecorator } from './decorator.js';

/**
 * A rule over the whole session, checked for every call after the preconditions. It sees a {@link SessionView}: a
 * snapshot of the session's counters (attempts including this call, executions not including it, consecutive
 * failures, executions per tool). A failure denies with source `session_contract`.
 *
 * Function form `sessionContract(check, options?)`; decorator form `@sessionContract(options?)`.
 * Named like {@link precondition}'s rules (`sessionContract#4` when nothing else names it).
 *
 * @example
 * ```ts
 * const fewWrites = sessionContract((session) =>
 *   session.toolExecutions('write_file') < 10 ? Verdict.pass() : Verdict.fail('Write budget used up; summarise and stop.'));
 * ```
 */
export function sessionContract(check: SessionCheck, options?: ContractOptions): Contract;
export function sessionContract(options?: ContractOptions): MethodDecorator<SessionCheck>;
export function sessionContract(...args: unknown[]): Contract | MethodDecorator<SessionCheck> | undefined {
	// `@sessionContract` written without parentheses is called with the decorator arguments themselves.
	if (isDecoratorCall(args)) {
		contractDecorator('@sessionContract', 'session_contract', undefined, undefined)(...args);
		return undefined;
	}
	const [checkOrOptions, options] = args;
	if (typeof checkOrOptions === 'function')
		return defineContract('session_contract', undefined, checkOrOptions, options, 'sessionContract');
	return contractDecorator('@sessionContract', 'session_contract', undefined, checkOrOptions);
}
