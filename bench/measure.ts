import { performance } from 'node:perf_hooks';

/** Result of timing one case: the median ns per call over several batches. */
export interface Timing {
	readonly name: string;
	readonly medianNs: number;
	readonly p90Ns: number;
}

/**
 * Times `call` in `batches` batches of `perBatch` sequential awaited calls after a warm-up, and reports the median
 * and 90th percentile of the per-call time across batches (robust to GC pauses and a busy second core).
 */
export async function measure(name: string, call: () => Promise<unknown>, { batches = 25, perBatch = 20_000, warmup = 50_000 } = {}): Promise<Timing> {
	for (let i = 0; i < warmup; i++) await call();
	const samples: number[] = [];
	for (let b = 0; b < batches; b++) {
		const start = performance.now();
		for (let i = 0; i < perBatch; i++) await call();
		samples.push(((performance.now() - start) * 1e6) / perBatch);
	}
	samples.sort((a, b) => a - b);
	return { name, medianNs: samples[Math.floor(samples.length / 2)] as number, p90Ns: samples[Math.floor(samples.length * 0.9)] as number };
}

export function row(timing: Timing, baselineNs?: number): string {
	const over = baselineNs === undefined ? '' : `  (+${((timing.medianNs - baselineNs) / 1000).toFixed(2)} µs over bare)`;
	return `${timing.name.padEnd(58)} ${timing.medianNs.toFixed(0).padStart(7)} ns/call  p90 ${timing.p90Ns.toFixed(0).padStart(7)}${over}`;
}
