import { ConfigError } from '../../errors/ConfigError.js';

/**
 * The field of a registered tool that an `McpServer` calls to run it: `handler(args, extra)` in
 * `@modelcontextprotocol/sdk` v1 (>= 1.24), `executor(args, ctx)` in `@modelcontextprotocol/server` v2, which wraps
 * the handler in a closure at registration, so replacing `handler` there would govern nothing.
 */
export type DispatchField = 'handler' | 'executor';

/** The parts of an SDK `McpServer` that governing it relies on. */
export interface McpServerInternals {
	_registeredTools?: unknown;
	executeToolHandler?: unknown;
}

const UNSUPPORTED =
	'governMcpServer supports McpServer from @modelcontextprotocol/sdk v1 (>= 1.24) and @modelcontextprotocol/server ' +
	'v2; this server has another shape, so its tools could run ungoverned. Use the toolwarden-mcp gateway instead.';

/**
 * Asks the server itself which field it calls: its `executeToolHandler` is run on a decoy tool whose `handler` and
 * `executor` only record that they were called (both SDKs call them synchronously, before their first `await`). No
 * real tool runs. A server that calls neither cannot be governed in place: `ConfigError`, never a silent pass-through.
 */
export function probeDispatch(server: McpServerInternals): DispatchField {
	const execute = server.executeToolHandler;
	if (typeof execute !== 'function') throw new ConfigError(`${UNSUPPORTED} (no executeToolHandler)`);
	let called: DispatchField | undefined;
	const decoy = {
		inputSchema: {},
		enabled: true,
		handler: () => (called ??= 'handler'),
		executor: () => (called ??= 'executor'),
	};
	try {
		const pending: unknown = (execute as (tool: object, args: object, extra: object) => unknown).call(
			server,
			decoy,
			{},
			{},
		);
		if (pending instanceof Promise) pending.catch(() => undefined);
	} catch {
		// A synchronous throw before either field was called leaves `called` undefined: reported below.
	}
	if (called === undefined) throw new ConfigError(`${UNSUPPORTED} (its tool dispatch is not recognised)`);
	return called;
}

/** The server's tool registry (`_registeredTools`), or `ConfigError` when it has none. */
export function toolRegistry(server: McpServerInternals): Record<string, object> {
	const registry = server._registeredTools;
	if (typeof registry !== 'object' || registry === null) throw new ConfigError(`${UNSUPPORTED} (no tool registry)`);
	return registry as Record<string, object>;
}
