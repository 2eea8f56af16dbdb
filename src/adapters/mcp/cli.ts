#!/usr/bin/env node
/**
 * toolwarden-mcp: a governed gateway in front of any MCP server.
 *
 *   toolwarden-mcp --policy ./policy.mjs [--approver NAME] [--] <upstream command> [args...]
 *   toolwarden-mcp --policy ./policy.mjs --url https://host/mcp [--header 'Authorization: Bearer ${TOKEN}']
 *
 * The policy module's default export is a WardenOptions object (or a function returning one). stdout is the MCP
 * channel: every diagnostic goes to stderr. Exit codes: 0 the client went away or a signal stopped it, 1 the upstream
 * died or could not start (or the policy failed to load), 2 a usage error.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WardenOptions } from '../../warden/WardenOptions.js';
import { startGateway, type GatewayExit } from './gateway.js';
import { parseArgs, parseHeaders, USAGE, UsageError } from './gateway/parseArgs.js';

const HARD_STOP_MS = 1_900;

async function loadPolicy(path: string): Promise<WardenOptions> {
	const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
	const exported: unknown =
		typeof module.default === 'function' ? await (module.default as () => unknown)() : module.default;
	if (typeof exported !== 'object' || exported === null)
		throw new Error(`${path} must default-export WardenOptions (an object) or a function returning them.`);
	return exported;
}

function say(line: string): void {
	process.stderr.write(`toolwarden-mcp: ${line}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
	let parsed;
	let headers: Record<string, string> = {};
	try {
		parsed = parseArgs(argv);
		headers = parseHeaders(parsed.headers, process.env);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		say(error.message);
		process.stderr.write(`${USAGE}\n`);
		return 2;
	}
	const policy = await loadPolicy(parsed.policy);
	const upstream =
		parsed.url === undefined
			? { command: parsed.command?.[0] as string, args: parsed.command?.slice(1) ?? [] }
			: { url: parsed.url, headers };
	const approver = parsed.approver === undefined ? {} : { approver: parsed.approver };
	const gateway = startGateway({ policy, policyPath: parsed.policy, ...approver, ...upstream });
	// The gateway has 2 s to stop, whatever the cause: should anything hang, the backstop ends the process.
	void gateway.stopping.then((exit) => {
		if (exit.reason !== null) say(exit.reason);
		setTimeout(() => process.exit(exit.code), HARD_STOP_MS).unref();
	});
	const stop = (): void => void gateway.close();
	// `on`, not `once`: a second Ctrl-C during the shutdown must not kill the gateway before the upstream is stopped.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
	const exit: GatewayExit = await gateway.closed;
	return exit.code;
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		say(error instanceof Error ? error.message : String(error));
		process.exit(1);
	},
);
