import type { Readable, Writable } from 'node:stream';
import { Warden } from '../../warden/Warden.js';
import type { WardenOptions } from '../../warden/WardenOptions.js';
import { GatewayProxy } from './gateway/GatewayProxy.js';
import { HttpUpstream } from './gateway/HttpUpstream.js';
import { LineChannel, type Channel } from './gateway/LineChannel.js';
import { StdioUpstream } from './gateway/StdioUpstream.js';

/** Options of {@link startGateway}: a policy, and either an upstream `command` (stdio) or a `url` (Streamable HTTP). */
export interface GatewayOptions {
	/** The Warden's options (a policy module's default export). */
	readonly policy: WardenOptions;
	/**
	 * The upstream MCP server's command, started in a process group of its own (stopped with the gateway).
	 * @example 'npx'
	 */
	readonly command?: string;
	/** The command's arguments. @default [] */
	readonly args?: readonly string[];
	/** Environment of the upstream process. @default process.env */
	readonly env?: NodeJS.ProcessEnv;
	/**
	 * A Streamable HTTP upstream instead of a command.
	 * @example 'https://mcp.example.com/mcp'
	 */
	readonly url?: string | URL;
	/** HTTP headers sent to a `url` upstream (e.g. `Authorization`); never logged. @default {} */
	readonly headers?: Readonly<Record<string, string>>;
	/**
	 * Who approvals and denials given in the client's own prompt (MCP elicitation) are recorded as, for held calls
	 * (API §10). It must not be the calls' principal, and must be on a rule's `approvers` when it has some.
	 * @default 'mcp-client'
	 */
	readonly approver?: string;
	/**
	 * The policy module's path, named in the command the denial of a held call suggests
	 * (`toolwarden approvals approve <id> --policy <path> --as NAME`) when the client cannot be asked.
	 * @default './policy.mjs'
	 */
	readonly policyPath?: string;
	/** Where the client's messages arrive. @default process.stdin */
	readonly input?: Readable;
	/** Where the client's messages go. @default process.stdout */
	readonly output?: Writable;
}

/** How a gateway ended: code 0 when its client went away or it was closed, 1 when the upstream died or failed. */
export interface GatewayExit {
	readonly code: 0 | 1;
	/** Why it ended when that is an error (the upstream's death, a start failure), for a line on stderr. */
	readonly reason: string | null;
}

/** A running gateway. */
export interface Gateway {
	readonly warden: Warden;
	/** The upstream process id (its process group id on POSIX), for a stdio upstream. */
	readonly upstreamPid: number | undefined;
	/** Resolves once the gateway has shut down: in-flight calls audited as failed, sinks closed, upstream stopped. */
	readonly closed: Promise<GatewayExit>;
	/** Resolves when the shutdown begins (whatever its cause), with how it will end. */
	readonly stopping: Promise<GatewayExit>;
	/** Shuts the gateway down (exit code 0). */
	close(): Promise<GatewayExit>;
}

/**
 * Starts an MCP gateway between a client (this process's stdio by default) and an upstream MCP server: a
 * message-level proxy that passes every message both ways unchanged, except `tools/call`, which is governed by a Warden
 * built from `policy` (a denial is answered as a tool result with `isError: true`). The upstream is initialized by the
 * client's own `initialize`, so it sees the client's capabilities and the client sees the server's.
 *
 * @example
 * ```ts
 * const gateway = startGateway({
 *   policy: { audit: new JsonlFileSink('fs-audit.jsonl') },
 *   command: 'npx',
 *   args: ['-y', '@modelcontextprotocol/server-filesystem', '.'],
 * });
 * const { code } = await gateway.closed;
 * ```
 */
export function startGateway(options: GatewayOptions): Gateway {
	const warden = new Warden(options.policy);
	const client = new LineChannel(options.input ?? process.stdin, options.output ?? process.stdout);
	let shutdown: (exit: GatewayExit) => Promise<GatewayExit> = () => Promise.resolve({ code: 0, reason: null });
	let upstream: Channel & { close(): Promise<void> };
	let upstreamPid: number | undefined;
	if (options.url !== undefined) {
		upstream = new HttpUpstream(new URL(options.url), options.headers ?? {});
	} else if (options.command !== undefined) {
		const stdio = new StdioUpstream(
			options.command,
			options.args ?? [],
			options.env ?? process.env,
			(reason) => void shutdown({ code: 1, reason }),
		);
		upstreamPid = stdio.pid;
		upstream = stdio;
	} else {
		throw new TypeError('startGateway needs an upstream: a command or a url.');
	}
	const proxy = new GatewayProxy(warden, client, upstream, {
		approver: options.approver ?? 'mcp-client',
		policy: options.policyPath ?? './policy.mjs',
	});
	if (options.url !== undefined) {
		const where = safeUrl(options.url);
		// A server that cannot be reached for initialize is a start failure; later failures answer the request.
		proxy.onUpstreamFailure = (error, method) => {
			if (method !== 'initialize') return;
			const why = error instanceof Error ? error.message : String(error);
			void shutdown({ code: 1, reason: `could not reach the upstream server at ${where}: ${why}` });
		};
	}
	let closing: Promise<GatewayExit> | undefined;
	let resolveClosed: (exit: GatewayExit) => void = () => undefined;
	let resolveStopping: (exit: GatewayExit) => void = () => undefined;
	const closed = new Promise<GatewayExit>((resolve) => (resolveClosed = resolve));
	const stopping = new Promise<GatewayExit>((resolve) => (resolveStopping = resolve));
	shutdown = (exit) => {
		closing ??= (async () => {
			resolveStopping(exit);
			await client.close();
			const why = exit.reason ?? 'the client disconnected or the gateway was stopped';
			// The upstream is stopped while the audit is completed: both are bounded, and together stay under 2 s.
			await Promise.all([
				proxy
					.abandon(`The call did not complete: ${why}.`)
					.then(() => warden.close())
					.catch(() => undefined),
				upstream.close(),
			]);
			resolveClosed(exit);
			return exit;
		})();
		return closing;
	};
	client.onclose = () => void shutdown({ code: 0, reason: null });
	return { warden, upstreamPid, closed, stopping, close: () => shutdown({ code: 0, reason: null }) };
}

/** The URL without credentials, query or fragment, for messages. */
function safeUrl(url: string | URL): string {
	const { origin, pathname } = new URL(url);
	return `${origin}${pathname}`;
}
