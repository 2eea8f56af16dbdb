import { benchAdapters } from './adapters.js';
import { benchAudit } from './audit.js';
import { benchCore, benchGuards } from './core.js';
import { benchFloor } from './floor.js';
import { benchGateway } from './gateway.js';
import { benchRedaction } from './redaction.js';
import { benchRedis } from './redis.js';

/**
 * `npm run bench`: prints governance overhead figures. A benchmark, not a test: it asserts nothing, it reports.
 * Pass case names (`floor`, `core`, `guards`, `audit`, `redis`, `adapters`, `gateway`, `redaction`) to run a subset.
 */
const cases: Record<string, () => Promise<void>> = {
	floor: benchFloor,
	core: benchCore,
	guards: benchGuards,
	audit: benchAudit,
	redis: benchRedis,
	adapters: benchAdapters,
	gateway: benchGateway,
	redaction: benchRedaction,
};
const wanted = process.argv.slice(2);
console.log(`node ${process.version}, ${process.arch}; median of 25 batches per case`);
for (const [name, run] of Object.entries(cases)) {
	if (wanted.length === 0 || wanted.includes(name)) await run();
}
