import { benchAdapters } from './adapters.js';
import { benchAudit } from './audit.js';
import { benchCore, benchGuards } from './core.js';
import { benchRedaction } from './redaction.js';
import { benchRedis } from './redis.js';

/**
 * `npm run bench`: prints governance overhead figures. A benchmark, not a test: it asserts nothing, it reports.
 * Pass case names (`core`, `guards`, `audit`, `redis`, `adapters`) to run a subset.
 */
const cases: Record<string, () => Promise<void>> = { core: benchCore, guards: benchGuards, audit: benchAudit, redis: benchRedis, adapters: benchAdapters, redaction: benchRedaction };
const wanted = process.argv.slice(2);
console.log(`node ${process.version}, ${process.arch}; median of 25 batches per case`);
for (const [name, run] of Object.entries(cases)) {
	if (wanted.length === 0 || wanted.includes(name)) await run();
}
