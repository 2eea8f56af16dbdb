/**
 * The gateway approval tests' policy: `echo` needs a person's approval. With TW_REDIS_URL its requests live in that
 * Redis (under TW_REDIS_PREFIX), so the test can approve them out of band, as another process would.
 */
import { JsonlFileSink, requireApproval, type WardenOptions } from '../../../src/index.js';
import { RedisStorage } from '../../../src/redis/index.js';

const url = process.env['TW_REDIS_URL'];
const keyPrefix = process.env['TW_REDIS_PREFIX'] ?? 'tw';
const policy: WardenOptions = {
	contracts: [requireApproval('echo', { message: 'Echoing needs a person.' })],
	...(url === undefined ? {} : { storage: new RedisStorage({ url, keyPrefix }) }),
	audit: new JsonlFileSink(process.env['TW_AUDIT_PATH'] ?? 'gateway-approval-audit.jsonl'),
};
export default policy;
