// A gateway policy that asks a person before the filesystem server changes anything.
//   toolwarden-mcp --policy ./policy-approvals.mjs --approver ann -- npx -y @modelcontextprotocol/server-filesystem DIR
// A client with elicitation (a form) asks its user in place: approve, and the call runs once. A client without it gets
// a denial naming the pending approval; resolve it from another shell, then retry the call:
//   toolwarden approvals approve <id> --policy ./policy-approvals.mjs --as ann
// That works across processes only when both share the store: set REDIS_URL (with the memory store, only elicitation
// can approve).
import { JsonlFileSink, requireApproval, Warden } from 'toolwarden';
import { RedisStorage } from 'toolwarden/redis';
import { rules } from './rules.mjs';

const url = process.env.REDIS_URL;
const policy = {
	...rules,
	contracts: [
		...rules.contracts,
		requireApproval(['write_file', 'edit_file', 'move_file', 'create_directory'], {
			message: 'The assistant wants to change files.',
			ttlMs: 30 * 60_000,
		}),
	],
	...(url === undefined ? {} : { storage: new RedisStorage({ url, keyPrefix: 'toolwarden-fs' }) }),
	audit: new JsonlFileSink(new URL('./audit-approvals.jsonl', import.meta.url).pathname, { hashChain: true }),
};
export default policy;

// Validates the policy when run directly (node <file>): a mistake throws a ConfigError naming it.
if (process.argv[1] === new URL(import.meta.url).pathname) {
	await new Warden(policy).close();
	await policy.storage?.close();
}
