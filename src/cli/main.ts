#!/usr/bin/env node
/**
 * The `toolwarden` operator binary (API §11): `verify`, `report` and `replay` over audit logs, and `approvals` for
 * held calls.
 *
 *   toolwarden verify logs/ --key-file audit.key
 *   toolwarden report logs/audit.jsonl --html report.html
 *   toolwarden replay logs/ --policy ./policy.mjs --fail-on newly-allowed
 *   toolwarden approvals approve ID --policy ./policy.mjs --as alice@example.com
 */
import { runCli } from './runCli.js';

const io = {
	stdout: process.stdout,
	stderr: process.stderr,
	progress: process.stderr.isTTY === true,
	cwd: process.cwd(),
};

runCli(process.argv.slice(2), io).then(
	(code) => exit(code),
	(error: unknown) => {
		// Not a usage or input error: a bug. Show the stack so it can be reported.
		process.stderr.write(
			`toolwarden: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		exit(2);
	},
);

/**
 * Exits once stdout is drained: a policy module may hold handles open (a Redis client it created, timers) that
 * replay never uses, and they must not keep the process alive.
 */
function exit(code: number): void {
	process.exitCode = code;
	process.stdout.write('', () => process.exit(code));
}
