// The gateway policy for the filesystem server: its default export is the Warden's options.
//   toolwarden-mcp --policy ./policy.mjs -- npx -y @modelcontextprotocol/server-filesystem /path/to/dir
// One audit file per server: two gateways cannot share a file (the second would fail to start).
import { JsonlFileSink, Warden } from 'toolwarden';
import { rules } from './rules.mjs';

const policy = {
	...rules,
	// The server's tool annotations already class read_text_file and list_directory as reads; naming them here makes
	// that independent of what the server says.
	tools: { read_text_file: { sideEffect: 'read' }, list_directory: { sideEffect: 'read' } },
	audit: new JsonlFileSink(new URL('./audit-filesystem.jsonl', import.meta.url).pathname, { hashChain: true }),
};
export default policy;

// Validates the policy when run directly (node <file>): a mistake throws a ConfigError naming it.
if (process.argv[1] === new URL(import.meta.url).pathname) await new Warden(policy).close();
