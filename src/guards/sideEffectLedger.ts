import type { Contract } from '../contracts/Contract.js';
import type { ToolEnvelope } from '../envelope/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';
import { checkLimit } from '../_internal/validate.js';
import { defineGuard, guardOptions } from './defineGuard.js';
import { idempotencyKey } from './fingerprint.js';
import { deny, PASS, type GuardAnswer, type GuardContext, type GuardOptions } from './Guard.js';

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

interface State {
	readonly entries: Readonly<Record<string, Entry>>;
	readonly order: readonly string[];
}

const KEY = 'sideEffectLedger';
const EMPTY: State = { entries: {}, order: [] };

/** What the Warden needs to reconcile an ambiguous entry. */
export interface LedgerHandle {
	reconcile(storage: StorageBackend, call: ToolEnvelope, executed: boolean, result?: unknown): Awaitable<void>;
}

const handles = new WeakMap<Contract, LedgerHandle>();

/** @internal the ledger behind a contract made by {@link sideEffectLedger}, if it is one. */
export function ledgerOf(contract: Contract): LedgerHandle | undefined {
	return handles.get(contract);
}

/**
 * Stops duplicate side effects. For `write` and `irreversible` tools, a completed call repeated with the same args in
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
	if (scopeOf !== undefined && typeof scopeOf !== 'function') throw new ConfigError('sideEffectLedger options.scope must be a function of the call.');
	const maxEntries = checkLimit(o['maxEntries'], 'sideEffectLedger options.maxEntries', 1000);
	if (maxEntries < 1) throw new ConfigError('sideEffectLedger options.maxEntries must be at least 1.');

	const where = (call: ToolEnvelope): { namespace: string; key: string } => {
		if (scopeOf === undefined) return { namespace: call.sessionId, key: idempotencyKey(call.toolName, call.args) };
		const scope = (scopeOf as (call: ToolEnvelope) => unknown)(call);
		if (typeof scope !== 'string' || scope === '') throw new ConfigError('sideEffectLedger scope() must return a non-empty string.');
		return { namespace: `scope:${scope}`, key: idempotencyKey(call.toolName, call.args, scope) };
	};
	const applies = (call: ToolEnvelope) => call.sideEffect === 'write' || call.sideEffect === 'irreversible';
	const set = (storage: StorageBackend, call: ToolEnvelope, entry: Entry | undefined) => {
		const { namespace, key } = where(call);
		return storage.update<State, void>(namespace, KEY, (state = EMPTY) => {
			const entries: Record<string, Entry> = { ...state.entries };
			let order = state.order.filter((k) => k !== key);
			if (entry === undefined) delete entries[key];
			else {
				entries[key] = entry;
				order = [...order, key];
				while (order.length > maxEntries) delete entries[order.shift() as string];
			}
			return { value: { entries, order }, result: undefined };
		});
	};

	const contract = defineGuard(
		'sideEffectLedger',
		{
			pre(ctx: GuardContext) {
				const { call } = ctx;
				if (!applies(call)) return PASS;
				const { namespace, key } = where(call);
				return ctx.storage.update<State, GuardAnswer>(namespace, KEY, (state = EMPTY) => {
					const entry = state.entries[key];
					if (entry === undefined) {
						// Claimed atomically: of two identical calls racing, only one gets here.
						return { value: { entries: { ...state.entries, [key]: { status: 'pending' } }, order: [...state.order, key] }, result: PASS };
					}
					switch (entry.status) {
						case 'completed':
							return {
								value: state,
								result: { kind: 'replay', result: entry.result, message: `"${call.toolName}" already ran with these arguments; its recorded result is returned and it was not run again. Do not repeat a completed ${call.sideEffect} action.` },
							};
						case 'pending':
							return { value: state, result: deny(`An identical "${call.toolName}" call is already in progress. Wait for its result instead of repeating it.`) };
						case 'ambiguous':
							return { value: state, result: deny(`An earlier "${call.toolName}" with these arguments may have taken effect (it failed after the request was sent). Check whether it happened before retrying; it stays blocked until reconciled.`) };
					}
				});
			},
			release(ctx) {
				return applies(ctx.call) ? set(ctx.storage, ctx.call, undefined) : undefined;
			},
			post(ctx, outcome, passed) {
				if (!applies(ctx.call) || !passed) return undefined;
				if (outcome.ok) return set(ctx.storage, ctx.call, { status: 'completed', result: outcome.result });
				return set(ctx.storage, ctx.call, outcome.sideEffectExecuted ? { status: 'ambiguous' } : undefined);
			},
		},
		o,
	);
	handles.set(contract, {
		reconcile: (storage, call, executed, result) => set(storage, call, executed ? { status: 'completed', result } : undefined),
	});
	return contract;
}
