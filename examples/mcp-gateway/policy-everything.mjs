// The gateway policy for server-everything (the MCP reference server), with its own audit file.
//   toolwarden-mcp --policy ./policy-everything.mjs -- npx -y @modelcontextprotocol/server-everything
import { JsonlFileSink, precondition, Verdict, Warden } from 'toolwarden';
import { rules } from './rules.mjs';

const policy = {
	...rules,
	contracts: [
		...rules.contracts,
		precondition('get-env', () =>
			Verdict.fail('Reading the environment is not allowed; ask the user for the value you need.'),
		),
	],
	audit: new JsonlFileSink(new URL('./audit-everything.jsonl', import.meta.url).pathname, { hashChain: true }),
};
export default policy;

// Validates the policy when run directly (node <file>): a mistake throws a ConfigError naming it.
if (process.argv[1] === new URL(import.meta.url).pathname) await new Warden(policy).close();
