import { ConfigError } from '../errors/ConfigError.js';
import { checkFunction, checkKeys } from '../_internal/validate.js';
import type { ApprovalOptions } from '../decisions/ApprovalRequest.js';

/** Validates `WardenOptions.approvals`. */
export function resolveApprovalOptions(options: unknown): ApprovalOptions {
	if (options === undefined) return {};
	const o = checkKeys(options, ['handler', 'timeoutMs'], 'WardenOptions.approvals');
	if (o['handler'] !== undefined) checkFunction(o['handler'], 'WardenOptions.approvals.handler');
	const timeoutMs = o['timeoutMs'];
	if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
		throw new ConfigError('WardenOptions.approvals.timeoutMs must be a positive integer of milliseconds.', {
			path: 'approvals.timeoutMs',
		});
	}
	return options as ApprovalOptions;
}
