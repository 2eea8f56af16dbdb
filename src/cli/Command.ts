import type { ParseArgsConfig } from 'node:util';

/** Where a command writes. The binary passes the process's streams; tests pass buffers. */
export interface CliIo {
	/** The result (text or JSON). */
	readonly stdout: { write(text: string): unknown };
	/** Diagnostics and progress. */
	readonly stderr: { write(text: string): unknown };
	/** Progress is shown only when stderr is a terminal (never in pipes, CI logs or tests). */
	readonly progress: boolean;
	/** Relative paths (logs, `--policy`, `--html`) resolve against it. */
	readonly cwd: string;
}

/** The exit codes of API §11. */
export const EXIT = Object.freeze({ OK: 0, FOUND: 1, USAGE: 2 } as const);

/** Options as `node:util` `parseArgs` returns them for a command's option config. */
export type ParsedOptions = Record<string, string | boolean | Array<string | boolean> | undefined>;

/**
 * One subcommand of the `toolwarden` binary. Adding a subcommand is one file exporting a `Command`, listed in
 * `commands.ts`: argument parsing, `--help` and the exit code on bad input are shared.
 */
export interface Command {
	readonly name: string;
	/** One line for the command list. */
	readonly summary: string;
	/** The usage lines printed by `--help` and after a usage error. */
	readonly usage: string;
	/** Options in `parseArgs` form (`--json` and `--help` are added to every command). */
	readonly options: NonNullable<ParseArgsConfig['options']>;
	/** Runs with the parsed options and positionals; returns the exit code. */
	run(options: ParsedOptions, positionals: readonly string[], io: CliIo): Promise<number>;
}
