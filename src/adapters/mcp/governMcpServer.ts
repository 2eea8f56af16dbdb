import { ConfigError } from '../../errors/ConfigError.js';
import type { Warden } from '../../warden/Warden.js';
import type { AdapterOptions } from '../shared/governedExecute.js';
import { governedToolRunner, type ToolRunner } from './governedToolRunner.js';
import { probeDispatch, toolRegistry, type DispatchField, type McpServerInternals } from './mcpDispatch.js';

export { deniedResult, resultText } from './governedToolRunner.js';

/**
 * An in-process MCP server: `McpServer` from `@modelcontextprotocol/sdk` v1 (>= 1.24) or from
 * `@modelcontextprotocol/server` v2. Typed structurally, so toolwarden needs neither package to compile.
 */
export interface GovernableMcpServer {
	registerTool(...args: never[]): unknown;
}

/** A governed tool's current name (a tool can be renamed with `update({ name })`). */
interface ToolState {
	name: string;
}

const governedServers = new WeakSet<object>();
const governedRunners = new WeakSet<object>();

/**
 * Governs the tools of an in-process `McpServer` in place and returns it, for MCP TypeScript SDK v1
 * (`@modelcontextprotocol/sdk`) and v2 (`@modelcontextprotocol/server`). Tools registered before the call, after it (by
 * any method: `registerTool`, the older `tool`), renamed, or given a new callback by `update()` all go through `warden`. A tool's MCP annotations give it its side-effect class unless the `tools` registry names one
 * (`readOnlyHint: true`: `read`; `destructiveHint: false`: `write`; other hints: `irreversible`; no hints: unknown, so
 * `irreversible` but never replayed by the side-effect ledger). The MCP request id becomes the call's `callId`. A
 * denied call returns a tool result with the reason and `isError: true`, so the model can adapt; a tool result with
 * `isError: true` is audited as a failure.
 *
 * Never a silent pass-through: a server of another shape, or a tool it cannot govern (an experimental task-based tool
 * of SDK v1, whose work runs outside the call), throws `ConfigError`, and every wrapped tool is checked to be the one
 * the server's own dispatch calls.
 *
 * @throws ConfigError when the server or one of its tools cannot be governed
 * @example
 * ```ts
 * import { McpServer } from '@modelcontextprotocol/server'; // or '@modelcontextprotocol/sdk/server/mcp.js'
 * const server = new McpServer({ name: 'files', version: '1.0.0' });
 * const config = { inputSchema: z.object({ path: z.string() }), annotations: { readOnlyHint: true } };
 * server.registerTool('read_file', config,
 *   async ({ path }) => ({ content: [{ type: 'text', text: await readFile(path, 'utf8') }] }));
 * governMcpServer(warden, server);
 * ```
 */
export function governMcpServer<S extends GovernableMcpServer>(warden: Warden, server: S, options?: AdapterOptions): S {
	if (typeof server !== 'object' || server === null)
		throw new ConfigError('governMcpServer(warden, server): server must be an McpServer.');
	if (governedServers.has(server)) return server;
	const internals = server as unknown as McpServerInternals;
	const registry = toolRegistry(internals);
	const field = probeDispatch(internals);
	const states = new WeakMap<object, ToolState>();
	const run: ToolRunner = governedToolRunner(warden, field, options, (tool) => states.get(tool)?.name ?? '');
	const govern = (name: string, tool: unknown) => {
		if (typeof tool !== 'object' || tool === null)
			throw new ConfigError(`governMcpServer: tool "${name}" is not a registered tool.`);
		const state = states.get(tool);
		if (state !== undefined) {
			state.name = name;
			return;
		}
		states.set(tool, { name });
		installRunner(tool as Record<string, unknown>, name, field, run);
	};
	for (const [name, tool] of Object.entries(registry)) govern(name, tool);
	// Every registration path of both SDKs ends in `this._registeredTools[name] = tool` (a rename too).
	const watched = new Proxy(registry, {
		set(target, key, value, receiver) {
			if (typeof key === 'string') govern(key, value);
			return Reflect.set(target, key, value, receiver);
		},
	});
	internals._registeredTools = watched;
	if (internals._registeredTools !== watched)
		throw new ConfigError('governMcpServer: the tool registry cannot be watched.');
	governedServers.add(server);
	return server;
}

/**
 * Makes the dispatch field an accessor: whatever is assigned to it (at registration, by `update({ callback })`, by
 * SDK v2 regenerating its executor) is stored raw and read back governed. Then checks it: the field now yields a
 * governed runner (the probe that the server will call ours).
 */
function installRunner(tool: Record<string, unknown>, name: string, field: DispatchField, run: ToolRunner): void {
	let governed = wrap(tool, name, field, tool[field], run);
	Object.defineProperty(tool, field, {
		configurable: true,
		enumerable: true,
		get: () => governed,
		set: (next: unknown) => {
			governed = wrap(tool, name, field, next, run);
		},
	});
	if (!governedRunners.has(tool[field] as object))
		throw new ConfigError(`governMcpServer: tool "${name}" could not be governed.`);
}

function wrap(tool: object, name: string, field: DispatchField, original: unknown, run: ToolRunner): unknown {
	if (typeof original !== 'function') {
		const task = typeof original === 'object' && original !== null && 'createTask' in original;
		throw new ConfigError(
			task
				? `governMcpServer: "${name}" is a task-based tool; its work runs outside the tool call, so it cannot be ` +
						'governed in process. Register it as a plain tool, or govern the server through the toolwarden-mcp gateway.'
				: `governMcpServer: tool "${name}" has no callable ${field}.`,
		);
	}
	const runner = (...params: unknown[]) => run(tool, original as (...p: unknown[]) => unknown, params);
	governedRunners.add(runner);
	return runner;
}
