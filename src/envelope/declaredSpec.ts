import type { CallOptions, ToolSpec } from './types.js';

// A symbol key: invisible to the CallOptions key check and to users, so the public CallOptions stay as documented.
const DECLARED: unique symbol = Symbol('toolwarden.declaredSpec');

type WithDeclared = CallOptions & { readonly [DECLARED]?: ToolSpec };

/**
 * Call options that carry what an adapter knows about the tool from its framework (MCP tool annotations give the
 * side-effect class). The `tools` registry still wins, field by field.
 */
export function withDeclaredSpec(options: CallOptions, spec: ToolSpec | undefined): CallOptions {
	return spec === undefined ? options : ({ ...options, [DECLARED]: spec } as WithDeclared);
}

/** The spec an adapter declared for this call, if any. */
export function declaredSpecOf(options: CallOptions | undefined): ToolSpec | undefined {
	return (options as WithDeclared | undefined)?.[DECLARED];
}
