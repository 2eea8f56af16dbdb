import type { SideEffect } from './types.js';

/** Whether a call changes something outside the agent (`write` or `irreversible`): what limits, ledgers and reports count. */
export function hasSideEffect(call: { readonly sideEffect: SideEffect }): boolean {
	return call.sideEffect === 'write' || call.sideEffect === 'irreversible';
}
