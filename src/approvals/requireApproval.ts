import type { Contract, ContractOptions } from '../contracts/Contract.js';
import type { ToolSelector } from '../contracts/ToolSelector.js';
import { Verdict } from '../contracts/Verdict.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import { defineContract } from '../contracts/defineContract.js';
import { checkKeys } from '../_internal/validate.js';
import type { HoldOptions } from '../decisions/ApprovalRequest.js';
import { resolveHold } from '../decisions/holdOptions.js';

/** Options of {@link requireApproval}. */
export interface RequireApprovalOptions extends HoldOptions {
	/**
	 * Only calls for which it answers true need approval (it fails closed like a contract's `when` when it throws).
	 * @default every call the selector matches
	 * @example (call) => Number(call.args.amount) > 500
	 */
	readonly when?: ContractOptions['when'];
	/**
	 * What the approver (and the agent, while the call waits) reads.
	 * @default 'A person must approve this call to "<tool>" before it runs.'
	 */
	readonly message?: string;
	/** The rule's name in decisions and audit events. @default 'requireApproval' */
	readonly name?: string;
	/** `observe`: record the hold as a would-deny and let the call run. @default the Warden's mode */
	readonly mode?: ContractOptions['mode'];
}

const KEYS = ['when', 'message', 'name', 'mode', 'ttlMs', 'approvers', 'metadata'] as const;

/**
 * A built-in precondition that holds matching calls for a person's approval (API §10).
 *
 * @throws ConfigError for unknown or invalid options
 * @example
 * ```ts
 * new Warden({
 *   contracts: [requireApproval('refund', { when: (call) => Number(call.args.amount) > 500, approvers: ['sup'] })],
 *   approvals: { handler: askOnSlack },
 * });
 * ```
 */
export function requireApproval(selector: ToolSelector, options: RequireApprovalOptions = {}): Contract {
	checkKeys(options, KEYS, 'requireApproval options');
	const { when, message, name = 'requireApproval', mode, ttlMs, approvers, metadata } = options;
	if (message !== undefined && (typeof message !== 'string' || message === ''))
		throw new ConfigError('requireApproval: message must be a non-empty string.');
	const holdOptions = {
		...(ttlMs === undefined ? {} : { ttlMs }),
		...(approvers === undefined ? {} : { approvers }),
		...(metadata === undefined ? {} : { metadata }),
	};
	try {
		resolveHold(holdOptions, 'requireApproval');
	} catch (error) {
		throw new ConfigError((error as Error).message);
	}
	const check = (call: ToolEnvelope) =>
		Verdict.hold(message ?? `A person must approve this call to "${call.toolName}" before it runs.`, holdOptions);
	return defineContract(
		'precondition',
		selector,
		check,
		{ name, ...(when === undefined ? {} : { when }), ...(mode === undefined ? {} : { mode }) },
		'requireApproval',
	);
}
