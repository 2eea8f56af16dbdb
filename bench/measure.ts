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
export async function measure(
	name: string,
	call: () => Promise<unknown>,
	{ batches = 25, perBatch = 20_000, warmup = 50_000 } = {},
): Promise<Timing> {
	for (let i = 0; i < warmup; i++) await call();
	const samples: number[] = [];
	for (let b = 0; b < batches; b++) {
		const start = performance.now();
		for (let i = 0; i < perBatch; i++) await call();
		samples.push(((performance.now() - start) * 1e6) / perBatch);
	}
	samples.sort((a, b) => a - b);
	return {
		name,
		medianNs: samples[Math.floor(samples.length / 2)] as number,
		p90Ns: samples[Math.floor(samples.length * 0.9)] as number,
	};
}

export function row(timing: Timing, baselineNs?: number): string {
	const over =
		baselineNs === undefined ? '' : `  (+${((timing.medianNs - baselineNs) / 1000).toFixed(2)} µs over bare)`;
	return `${timing.name.padEnd(58)} ${timing.medianNs.toFixed(0).padStart(7)} ns/call  p90 ${timing.p90Ns.toFixed(0).padStart(7)}${over}`;
}

/**
 * Times several cases in interleaved batches (one batch of each in turn), so a change in the machine's load touches
 * every case alike: ratios between them stay meaningful on a busy machine where sequential runs would not.
 */
export async function measureInterleaved(
	cases: ReadonlyArray<{ readonly name: string; readonly call: () => Promise<unknown> }>,
	{ batches = 31, perBatch = 10_000, warmup = 30_000 } = {},
): Promise<Timing[]> {
	for (const { call } of cases) for (let i = 0; i < warmup; i++) await call();
	const samples: number[][] = cases.map(() => []);
	for (let b = 0; b < batches; b++) {
		for (const [index, { call }] of cases.entries()) {
			const start = performance.now();
			for (let i = 0; i < perBatch; i++) await call();
			samples[index]?.push(((performance.now() - start) * 1e6) / perBatch);
		}
	}
	return cases.map(({ name }, index) => {
		const sorted = [...(samples[index] ?? [])].sort((a, b) => a - b);
		const at = (q: number) => sorted[Math.floor(sorted.length * q)] as number;
		return { name, medianNs: at(0.5), p90Ns: at(0.9) };
	});
}
