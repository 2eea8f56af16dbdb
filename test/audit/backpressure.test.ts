import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlFileSink, Warden } from '../../src/index.js';

const unlimited = { maxToolCalls: Infinity, maxAttempts: Infinity };
const dir = () => mkdtemp(join(tmpdir(), 'tw-backpressure-'));

describe('bounded buffer, backpressure', () => {
	it('with tools that never yield, the next call waits for the sink: memory stays bounded and writes happen meanwhile', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { maxBufferedEvents: 100 });
		const warden = new Warden({ audit: sink, limits: unlimited });
		let maxPending = 0;
		let writtenDuringLoop = 0;
		// A synchronous tool and an in-memory store: without backpressure this loop never reaches the event loop.
		for (let i = 0; i < 3000; i++) {
			await warden.run('t', { i }, () => i);
			maxPending = Math.max(maxPending, sink.stats.pending);
			if (i === 2999) writtenDuringLoop = sink.stats.written;
		}
		// The pre-execution event waits for room; the post event of the call then running adds one.
		expect(maxPending).toBeLessThanOrEqual(101);
		expect(writtenDuringLoop).toBeGreaterThan(5000);
		await warden.close();
		expect(sink.stats).toMatchObject({ written: 6000, failed: 0, pending: 0 });
		expect((await readFile(path, 'utf8')).trimEnd().split('\n')).toHaveLength(6000);
	});

	it('concurrent calls wait too: the buffer overshoots by at most the post events of calls already running', async () => {
		const path = join(await dir(), 'audit.jsonl');
		const sink = new JsonlFileSink(path, { maxBufferedEvents: 50 });
		const warden = new Warden({ audit: sink, limits: unlimited });
		let maxPending = 0;
		await Promise.all(
			Array.from({ length: 1000 }, async (_, i) => {
				await warden.run('t', { i }, () => i);
				maxPending = Math.max(maxPending, sink.stats.pending);
			}),
		);
		await warden.close();
		// 1000 calls, 2000 events: without backpressure all of them wait at once.
		expect(maxPending).toBeLessThanOrEqual(150);
		expect(sink.stats).toMatchObject({ written: 2000, failed: 0 });
	});
});
