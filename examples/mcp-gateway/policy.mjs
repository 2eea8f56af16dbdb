// A policy for the toolwarden-mcp gateway: its default export is the Warden's options.
// Use it with: toolwarden-mcp --policy ./policy.mjs -- npx -y @modelcontextprotocol/server-filesystem /path/to/dir
import { denySensitiveReads, JsonlFileSink, repeatGuard, Warden } from 'toolwarden';

export default {
	contracts: [denySensitiveReads(), repeatGuard()],
	tools: { read_text_file: { sideEffect: 'read' }, list_directory: { sideEffect: 'read' } },
	audit: new JsonlFileSink(new URL('./audit.jsonl', import.meta.url).pathname, { hashChain: true }),
};

// Validates the policy when run directly: node policy.mjs
if (process.argv[1] === new URL(import.meta.url).pathname) new Warden((await import(import.meta.url)).default);
