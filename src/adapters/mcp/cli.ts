#!/usr/bin/env node
/**
 * toolwarden-mcp: a governed stdio gateway in front of any MCP server.
 *
 *   toolwarden-mcp --policy ./policy.mjs -- <upstream command> [args...]
 *
 * The policy module's default export is a WardenOptions object (or a function returning one).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGateway } from './gateway.js';

const USAGE = 'Usage: toolwarden-mcp --policy ./policy.mjs -- <upstream command> [args...]';

async function main(argv: readonly string[]): Promise<void> {
	const separator = argv.indexOf('--');
	const own = separator === -1 ? argv : argv.slice(0, separator);
	const upstream = separator === -1 ? [] : argv.slice(separator + 1);
	const policyIndex = own.indexOf('--policy');
	const policyPath = policyIndex === -1 ? undefined : own[policyIndex + 1];
	if (policyPath === undefined || upstream.length === 0) {
		process.stderr.write(`${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	const module = (await import(pathToFileURL(resolve(policyPath)).href)) as { default?: unknown };
	const exported = typeof module.default === 'function' ? await (module.default as () => unknown)() : module.default;
	if (typeof exported !== 'object' || exported === null) throw new Error(`${policyPath} must default-export WardenOptions (an object) or a function returning them.`);
	const [command, ...args] = upstream as [string, ...string[]];
	const gateway = await startGateway({ policy: exported, command, args });
	await gateway.closed;
}

main(process.argv.slice(2)).catch((error: unknown) => {
	// stdout is the MCP channel: diagnostics go to stderr only.
	process.stderr.write(`toolwarden-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
