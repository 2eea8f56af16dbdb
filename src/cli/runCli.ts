import { parseArgs } from 'node:util';
import { CliError, oneLine } from './CliError.js';
import { EXIT, type CliIo, type Command, type ParsedOptions } from './Command.js';
import { COMMANDS } from './commands.js';

const HELP_FOOTER =
	"Run toolwarden <command> --help for a command's options. " +
	'Exit codes: 0 ok, 1 the check found something, 2 usage or input error.';
const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function overview(commands: readonly Command[]): string {
	const width = Math.max(...commands.map((c) => c.name.length));
	const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
	return `Usage: toolwarden <command> [options]\n\nCommands:\n${list}\n\n${HELP_FOOTER}\n`;
}

/**
 * Runs the `toolwarden` binary's command line and returns its exit code (API §11): 0 ok, 1 the check found something,
 * 2 usage or input error (one line on stderr). Arguments are parsed with `node:util` `parseArgs`: no dependency, and
 * strict about unknown options, which is all flat subcommands need.
 */
export async function runCli(
	argv: readonly string[],
	io: CliIo,
	commands: readonly Command[] = COMMANDS,
): Promise<number> {
	const [name, ...rest] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		(name === undefined ? io.stderr : io.stdout).write(overview(commands));
		return name === undefined ? EXIT.USAGE : EXIT.OK;
	}
	const command = commands.find((c) => c.name === name);
	if (command === undefined) {
		io.stderr.write(`toolwarden: unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')}).\n`);
		return EXIT.USAGE;
	}
	let options: ParsedOptions;
	let positionals: string[];
	try {
		({ values: options, positionals } = parseArgs({
			args: [...rest],
			options: { ...command.options, ...COMMON },
			allowPositionals: true,
			strict: true,
		}));
	} catch (error) {
		io.stderr.write(`toolwarden ${command.name}: ${oneLine(error)}\n${command.usage}\n`);
		return EXIT.USAGE;
	}
	if (options['help'] === true) {
		io.stdout.write(`${command.usage}\n`);
		return EXIT.OK;
	}
	try {
		return await command.run(options, positionals, io);
	} catch (error) {
		if (!(error instanceof CliError)) throw error;
		io.stderr.write(`toolwarden ${command.name}: ${oneLine(error)}\n`);
		return EXIT.USAGE;
	}
}
