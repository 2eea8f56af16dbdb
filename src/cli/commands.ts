import type { Command } from './Command.js';
import { approvals } from './commands/approvals.js';
import { replay } from './commands/replay.js';
import { report } from './commands/report.js';
import { verify } from './commands/verify.js';

/** The subcommands of the `toolwarden` binary, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [verify, report, replay, approvals];
