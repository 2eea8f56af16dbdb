/** The gateway's command line, parsed. */
export interface GatewayArgs {
	readonly policy: string;
	/** A stdio upstream: its command and arguments. */
	readonly command?: readonly [string, ...string[]];
	/** A Streamable HTTP upstream. */
	readonly url?: string;
	/** `--header` values as given (`${VAR}` not yet expanded). */
	readonly headers: readonly string[];
	/** `--approver`: who approvals given in the client's elicitation prompt are recorded as. */
	readonly approver?: string;
}

export const USAGE = [
	'Usage: toolwarden-mcp --policy ./policy.mjs [--approver NAME] [--] <upstream command> [args...]',
	"       toolwarden-mcp --policy ./policy.mjs --url https://host/mcp [--header 'Name: value']...",
].join('\n');

/** A command-line mistake: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/**
 * Parses the gateway's arguments. The upstream command starts after `--` or at the first argument that is not one of
 * the gateway's options, so launchers that swallow `--` (the MCP Inspector CLI) can pass it too; everything from
 * there on belongs to the upstream, options included.
 */
export function parseArgs(argv: readonly string[]): GatewayArgs {
	let policy: string | undefined;
	let url: string | undefined;
	let approver: string | undefined;
	const headers: string[] = [];
	let i = 0;
	const value = (name: string, inline: string | undefined): string => {
		const given = inline ?? argv[++i];
		if (given === undefined || given === '') throw new UsageError(`${name} needs a value.`);
		return given;
	};
	for (; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (arg === '--') {
			i++;
			break;
		}
		if (!arg.startsWith('-')) break;
		const eq = arg.indexOf('=');
		const [name, inline] = eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
		if (name === '--policy') policy = value(name, inline);
		else if (name === '--url') url = value(name, inline);
		else if (name === '--header') headers.push(value(name, inline));
		else if (name === '--approver') approver = value(name, inline);
		else throw new UsageError(`Unknown option ${name}.`);
	}
	const rest = argv.slice(i);
	if (policy === undefined) throw new UsageError('--policy is required.');
	if (url !== undefined && rest.length > 0) throw new UsageError('Give either --url or an upstream command, not both.');
	if (url === undefined && headers.length > 0) throw new UsageError('--header applies to a --url upstream only.');
	const extra = approver === undefined ? {} : { approver };
	if (url !== undefined) return { policy, url, headers, ...extra };
	if (rest.length === 0) throw new UsageError('No upstream: give a command (after --) or --url.');
	return { policy, command: rest as [string, ...string[]], headers, ...extra };
}

/**
 * Turns `--header 'Name: value'` arguments into headers, reading `${VAR}` from `env` so secrets stay out of configs
 * and process listings. Messages name the header and the variable, never the value.
 */
export function parseHeaders(specs: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const spec of specs) {
		const colon = spec.indexOf(':');
		const name = colon === -1 ? '' : spec.slice(0, colon).trim();
		if (name === '' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
			throw new UsageError(`--header needs the form 'Name: value' (got a header without a valid name).`);
		headers[name] = spec
			.slice(colon + 1)
			.trim()
			.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, variable: string) => {
				const found = env[variable];
				if (found === undefined)
					throw new UsageError(`--header ${name} reads \${${variable}}, which is not set in the environment.`);
				return found;
			});
	}
	return headers;
}
