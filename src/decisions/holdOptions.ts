import { DEFAULT_APPROVAL_TTL_MS, type HoldOptions } from './ApprovalRequest.js';

/** Hold options, checked and with defaults: what the pipeline carries from the rule to the request. */
export interface ResolvedHold {
	readonly ttlMs: number;
	readonly approvers: readonly string[] | undefined;
	readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

const DEFAULT_HOLD: ResolvedHold = Object.freeze({
	ttlMs: DEFAULT_APPROVAL_TTL_MS,
	approvers: undefined,
	metadata: undefined,
});
const KEYS = new Set(['ttlMs', 'approvers', 'metadata']);

/**
 * Checks hold options. Throws `TypeError` (the caller wraps it: a `ConfigError` for `requireApproval`, a fail-closed
 * `policy_error` for a contract whose `Verdict.hold` throws).
 */
export function resolveHold(options: HoldOptions | undefined, where: string): ResolvedHold {
	if (options === undefined) return DEFAULT_HOLD;
	if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object.`);
	for (const key of Object.keys(options))
		if (!KEYS.has(key)) throw new TypeError(`${where}: unknown option "${key}" (expected ttlMs, approvers, metadata).`);
	const { ttlMs = DEFAULT_APPROVAL_TTL_MS, approvers, metadata } = options;
	if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs <= 0)
		throw new TypeError(`${where}: ttlMs must be a positive integer of milliseconds.`);
	if (
		approvers !== undefined &&
		(!Array.isArray(approvers) || approvers.length === 0 || !approvers.every((a) => typeof a === 'string' && a !== ''))
	) {
		throw new TypeError(`${where}: approvers must be a non-empty array of non-empty strings.`);
	}
	if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)))
		throw new TypeError(`${where}: metadata must be an object.`);
	return Object.freeze({
		ttlMs,
		approvers: approvers === undefined ? undefined : Object.freeze([...(approvers as readonly string[])]),
		metadata,
	});
}
