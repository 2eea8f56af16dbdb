import type { SideEffect } from '../../envelope/types.js';

/**
 * The side-effect class of an MCP tool from its annotations, with the MCP spec's defaults: `readOnlyHint: true` is
 * `'read'`; otherwise `destructiveHint: false` is `'write'`; anything else (no annotations, `destructiveHint` true or
 * absent) is `'irreversible'`. Hints come from the server, so they only classify tools the policy does not name.
 */
export function sideEffectFromAnnotations(annotations: unknown): SideEffect {
	if (typeof annotations !== 'object' || annotations === null) return 'irreversible';
	const hints = annotations as { readonly readOnlyHint?: unknown; readonly destructiveHint?: unknown };
	if (hints.readOnlyHint === true) return 'read';
	return hints.destructiveHint === false ? 'write' : 'irreversible';
}
