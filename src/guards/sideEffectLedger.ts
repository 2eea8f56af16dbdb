import type { Contract } from '../contracts/Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { checkLimit } from '../_internal/validate.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { hasSideEffect } from '../envelope/hasSideEffect.js';
import { callFingerprint } from './fingerprint.js';
import { keepResult } from './keepResult.js';
import { deny, PASS, perCall, type GuardAnswer, type GuardContext, type GuardOptions } from './Guard.js';

/** Options of {@link sideEffectLedger}. */
export interface SideEffectLedgerOptions extends GuardOptions {
	/**
	 * The ledger's scope for a call. Calls in one scope share the ledger: a scope key such as a ticket id is shared by
	 * every session that produces it, so a refund done in one conversation is not redone in another.
	 * @default the call's session
	 * @example (call) => `ticket:${call.metadata.ticketId}`
	 */
	readonly scope?: (call: ToolEnvelope) => string;
	/**
	 * Completed side effects remembered per scope (oldest forgotten first).
	 * @default 1000
	 */
	readonly maxEntries?: number;
}

type Status = 'pending' | 'completed' | 'ambiguous';

interface Entry {
	readonly status: Status;
	readonly result?: unknown;
}

const PENDING: Entry = Object.freeze({ status: 'pending' });

/** One storage key per idempotency key, in a group bounded by `maxEntries`. */
const GROUP = 'sideEffectLedger';

/**
 * Stops duplicate side effects. For tools declared `write` or `irreversible` (the `tools` registry, `@tool`, an
 * adapter's framework metadata such as MCP annotations, or `classifyBash` for shell tools; an unregistered tool is
 * never replayed, see `ToolEnvelope.sideEffectDeclared`), a completed call repeated with the same args in
 * the same scope is not executed again: its recorded result is replayed (decision `replay`). A call whose earlier run
 * is ambiguous (it timed out, or was failed with `sideEffectExecuted: true`) is denied until reconciled with
 * `warden.reconcile(...)`; an identical call still in flight is denied too. The same tool with different args (a
 * refund for another order) is allowed. Tools can forward the deterministic `idempotencyKey(toolName, args, scope)`
 * downstream. The rule name is `sideEffectLedger`.
 *
 * @example
 * ```ts
 * sideEffectLedger({ scope: (call) => `ticket:${String(call.metadata.ticketId)}` });
 * ```
 */
export function sideEffectLedger(options: SideEffectLedgerOptions = {}): Contract {
	const o = guardOptions(options, 'sideEffectLedger', ['scope', 'maxEntries']);
	const scopeOf = o['scope'];
	if (scopeOf !== undefined && typeof scopeOf !== 'function')
		throw new ConfigError('sideEffectLedger options.scope must be a function of the call.');
	const maxEntries = checkLimit(o['maxEntries'], 'sideEffectLedger options.maxEntries', 1000);
	if (maxEntries < 1) throw new ConfigError('sideEffectLedger options.maxEntries must be at least 1.');

	const bound = { group: GROUP, max: maxEntries };
	// The storage key is the store's keyed fingerprint of the call, never its args (the public idempotencyKey() is a
	// SHA-256 meant for downstream APIs); the repeat guard keys the same call by the same fingerprint, computed once.
	const locate = (storage: StorageBackend, call: ToolEnvelope): { namespace: string; key: string } => {
		const key = `${GROUP}:${callFingerprint(storage, call.toolName, call.args)}`;
		if (scopeOf === undefined) return { namespace: call.sessionId, key };
		const scope = (scopeOf as (call: ToolEnvelope) => unknown)(call);
		if (typeof scope !== 'string' || scope === '')
			throw new ConfigError('sideEffectLedger scope() must return a non-empty string.');
		return { namespace: `scope:${scope}`, key };
	};
	const whereFor = perCall((ctx) => locate(ctx.storage, ctx.call));
	// Only declared side effects: an unknown tool is irreversible for limits, but answering it with a recorded result
	// would hand a poller (`job_status`) the same stale answer forever.
	const applies = (call: ToolEnvelope) => call.sideEffectDeclared && hasSideEffect(call);
	const set = (
		storage: StorageBackend,
		{ namespace, key }: { namespace: string; key: string },
		entry: Entry | undefined,
	) => storage.update<Entry, void>(namespace, key, () => ({ value: entry, result: undefined }), bound);

	const contract = defineGuard(
		'sideEffectLedger',
		{
			pre(ctx: GuardContext) {
				const { call } = ctx;
				if (!applies(call)) return PASS;
				const { namespace, key } = whereFor(ctx);
				return ctx.storage.update<Entry, GuardAnswer>(
					namespace,
					key,
					(entry) => {
						// Claimed atomically: of two identical calls racing, only one gets here.
						if (entry === undefined) return { value: PENDING, result: PASS };
						switch (entry.status) {
							case 'completed':
								return {
									value: entry,
									result: {
										kind: 'replay',
										result: entry.result,
										message: `"${call.toolName}" already ran with these arguments; its recorded result is returned and it was not run again. Do not repeat a completed ${call.sideEffect} action.`,
									},
								};
							case 'pending':
								return {
									value: entry,
									result: deny(
										`An identical "${call.toolName}" call is already in progress. Wait for its result instead of repeating it.`,
									),
								};
							case 'ambiguous':
								return {
									value: entry,
									result: deny(
										`An earlier "${call.toolName}" with these arguments may have taken effect (it failed after the request was sent). Check whether it happened before retrying; it stays blocked until reconciled.`,
									),
								};
						}
					},
					bound,
				);
			},
			release(ctx) {
				return applies(ctx.call) ? set(ctx.storage, whereFor(ctx), undefined) : undefined;
			},
			post(ctx, outcome, passed) {
				if (!applies(ctx.call) || !passed) return undefined;
				// The result is kept redacted (and as a summary when it cannot be copied): the entry always completes.
				if (outcome.ok) {
					return set(ctx.storage, whereFor(ctx), {
						status: 'completed',
						result: keepResult(ctx.redaction, outcome.result),
					});
				}
				return set(ctx.storage, whereFor(ctx), outcome.sideEffectExecuted ? { status: 'ambiguous' } : undefined);
			},
			reconcile(ctx, call, { executed, result }) {
				const entry: Entry = { status: 'completed', result: keepResult(ctx.redaction, result) };
				return set(ctx.storage, locate(ctx.storage, call), executed ? entry : undefined);
			},
			report: (_ctx, interventions) => ({ sideEffectsPrevented: interventions['sideEffectLedger'] ?? 0 }),
		},
		o,
	);
	return contract;
}
