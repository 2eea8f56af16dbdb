import { performance } from 'node:perf_hooks';
import { adversarialInputs } from '../test/fixtures/adversarial.js';
import { lib } from './lib.js';

const median = (samples: number[]): number => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;

/** CPU milliseconds of `run`: on a shared machine, other processes' load does not count. */
function cpuMs(run: () => unknown): number {
	const start = process.cpuUsage();
	run();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

/** Redaction benchmarks of issue #9: the cost of a typical event, and the worst case of the adversarial set. */
export async function benchRedaction(): Promise<void> {
	const { MemorySink, RedactionPolicy, Warden } = lib;
	console.log('\n== redaction (issue #9) ==');
	const policy = new RedactionPolicy();
	// A typical event: an HTTP call with one bearer token in its headers and an object result; the ids vary per
	// call as they do in real traffic, so most strings miss the memo.
	const typical = (i: number) => ({
		args: {
			method: 'POST',
			url: `https://api.example.com/v1/orders/${i}`,
			headers: { 'content-type': 'application/json', authorization: 'Bearer abc.def.ghi123' },
			body: { orderId: `A-${i}`, amount: 45, note: 'customer asked twice' },
		},
		result: { status: 201, body: `{"id":"ord_${i}","state":"created","total":45}` },
	});
	const samples: number[] = [];
	for (let batch = 0; batch < 25; batch++) {
		const start = performance.now();
		for (let i = 0; i < 20_000; i++) policy.redact(typical(batch * 20_000 + i));
		samples.push(((performance.now() - start) * 1e6) / 20_000);
	}
	console.log(
		`redaction of a typical event (args + result, fresh ids): ${median(samples).toFixed(0)} ns/event (min ${Math.min(...samples).toFixed(0)})`,
	);

	let worstWall = { name: '', ms: 0 };
	let worstCpu = { name: '', ms: 0 };
	for (const { name, args, result } of adversarialInputs()) {
		const cpu = cpuMs(() => new RedactionPolicy().redact({ args, result }));
		if (cpu > worstCpu.ms) worstCpu = { name, ms: cpu };
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink });
		const start = performance.now();
		// A denial (too deep to be plain data) is an outcome too: its event must be redacted within the bound.
		await warden.run('adversarial', args, () => result).catch(() => undefined);
		const ms = performance.now() - start;
		if (ms > worstWall.ms) worstWall = { name, ms };
		if (process.env.BENCH_VERBOSE !== undefined)
			console.log(`  ${name}: redaction ${cpu.toFixed(1)} ms CPU, whole call ${ms.toFixed(1)} ms`);
		if (sink.events.length === 0) throw new Error(`no event for ${name}`);
	}
	console.log(
		`adversarial set, worst redaction of one event: ${worstCpu.ms.toFixed(1)} ms CPU (${worstCpu.name}; target < 200 ms)`,
	);
	console.log(`adversarial set, worst whole governed call: ${worstWall.ms.toFixed(1)} ms (${worstWall.name})`);
}
