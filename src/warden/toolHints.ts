import type { ToolSpec } from '../envelope/types.js';
import type { Warden } from './Warden.js';

/**
 * Registers what an adapter learned about a tool at run time (MCP tool annotations) on a Warden, for a tool the
 * policy's `tools` registry does not name: the policy's own entry always wins, and the first hint for a name stays.
 * Set by `Warden`'s static block (it needs the Warden's private registry); never exported from the package.
 */
export let registerToolHint: (warden: Warden, toolName: string, spec: ToolSpec) => void = () => undefined;

/** Called once by `Warden` to install the real implementation. */
export function installToolHints(fn: typeof registerToolHint): void {
	registerToolHint = fn;
}
