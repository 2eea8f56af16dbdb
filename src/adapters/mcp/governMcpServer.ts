import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Warden } from '../../warden/Warden.js';
import { callOptions, denialOf, type AdapterOptions } from '../shared/governedExecute.js';

type Handler = (...params: unknown[]) => unknown;
interface RegisteredToolLike {
	handler: Handler | object;
	inputSchema?: unknown;
	update?: (updates: Record<string, unknown>) => void;
}

const governed = new WeakSet<object>();

/** A tool result the model reads: the denial reason, flagged as an error so the model adapts. */
export function deniedResult(reason: string): { content: Array<{ type: 'text'; text: string }>; isError: true } {
	return { content: [{ type: 'text', text: reason }], isError: true };
}

/** The text of an MCP tool result, for errors and audit. */
export function resultText(result: unknown): string {
	const content = (result as { content?: Array<{ type?: string; text?: string }> } | null)?.content;
	return Array.isArray(content) ? content.map((part) => (part.type === 'text' ? (part.text ?? '') : `[${part.type ?? 'content'}]`)).join('\n') : '';
}

/**
 * Governs the tools of an in-process `McpServer` (`@modelcontextprotocol/sdk` v1) in place and returns it: tools
 * already registered, tools registered later (`registerTool`, `tool`) and callbacks replaced by `update()` all go
 * through `warden`. The MCP request id becomes the call's `callId`. A denied call returns a tool result with the reason
 * and `isError: true`, so the model can adapt; a tool result with `isError: true` is audited as a failure.
 * Task-based tool handlers (experimental MCP tasks) are left as they are.
 *
 * @example
 * ```ts
 * const server = new McpServer({ name: 'files', version: '1.0.0' });
 * server.registerTool('read_file', { inputSchema: { path: z.string() } }, async ({ path }) => ({ content: [...] }));
 * governMcpServer(warden, server);
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function governMcpServer<S extends McpServer>(warden: Warden, server: S, options?: AdapterOptions): S {
	if (governed.has(server)) return server;
	governed.add(server);
	const registry = (server as unknown as { _registeredTools?: Record<string, RegisteredToolLike> })._registeredTools;
	if (registry === undefined || typeof registry !== 'object') throw new TypeError('governMcpServer: not an McpServer from @modelcontextprotocol/sdk v1 (no tool registry found).');
	for (const [name, tool] of Object.entries(registry)) govern(warden, name, tool, options);
	for (const method of ['registerTool', 'tool'] as const) {
		const original = (server as unknown as Record<string, (...args: unknown[]) => RegisteredToolLike>)[method];
		if (typeof original !== 'function') continue;
		(server as unknown as Record<string, unknown>)[method] = function registerGoverned(this: unknown, ...args: unknown[]): RegisteredToolLike {
			const tool = original.apply(server, args);
			govern(warden, String(args[0]), tool, options);
			return tool;
		};
	}
	return server;
}

function govern(warden: Warden, name: string, tool: RegisteredToolLike, options: AdapterOptions | undefined): void {
	wrapHandler(warden, name, tool, options);
	const update = tool.update;
	if (typeof update !== 'function' || governed.has(update)) return;
	const governedUpdate = function (this: unknown, updates: Record<string, unknown>): void {
		update.call(tool, updates);
		const renamed = typeof updates['name'] === 'string' ? updates['name'] : name;
		wrapHandler(warden, renamed, tool, options);
	};
	governed.add(governedUpdate);
	tool.update = governedUpdate;
}

function wrapHandler(warden: Warden, name: string, tool: RegisteredToolLike, options: AdapterOptions | undefined): void {
	if (typeof tool.handler !== 'function' || governed.has(tool.handler)) return;
	const handler: Handler = tool.handler as Handler;
	const withArgs = tool.inputSchema !== undefined;
	const wrapped: Handler = async (...params: unknown[]) => {
		const extra = params[params.length - 1] as { requestId?: string | number } | undefined;
		const args = withArgs ? params[0] : {};
		const call = await warden.begin(name, typeof args === 'object' && args !== null ? args : {}, callOptions(options, extra?.requestId === undefined ? undefined : String(extra.requestId)));
		if (call.replayed) return call.result;
		if (!call.allowed) {
			const denial = denialOf(call);
			return options?.onDenied === undefined ? deniedResult(denial.reason) : options.onDenied(denial);
		}
		let result: unknown;
		try {
			result = await call.withSpan(() => (withArgs ? handler(call.envelope.args, extra) : handler(extra)));
		} catch (error) {
			await call.fail(error);
			throw error;
		}
		if ((result as { isError?: unknown } | null)?.isError === true) await call.fail(new Error(resultText(result) || 'The tool returned an error result.'));
		else await call.succeed(result);
		return result;
	};
	governed.add(wrapped);
	tool.handler = wrapped;
}
