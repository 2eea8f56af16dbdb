import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EVERYTHING = ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio'];
const CALLS = 3_000;
const WARMUP = 500;

/** Per-call latency, each call timed on its own: what one agent step waits for. */
interface Latency {
	readonly medianMs: number;
	readonly p90Ms: number;
}

async function latencies(call: () => Promise<unknown>): Promise<Latency> {
	for (let i = 0; i < WARMUP; i++) await call();
	const samples: number[] = [];
	for (let i = 0; i < CALLS; i++) {
		const start = performance.now();
		await call();
		samples.push(performance.now() - start);
	}
	samples.sort((a, b) => a - b);
	return { medianMs: samples[Math.floor(CALLS / 2)] as number, p90Ms: samples[Math.floor(CALLS * 0.9)] as number };
}

function rssMiB(pid: number): number {
	const line =
		readFileSync(`/proc/${pid}/status`, 'utf8')
			.split('\n')
			.find((l) => l.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
	return Number(line.replace(/\D+/g, '')) / 1024;
}

/**
 * Issue #13: what the toolwarden-mcp gateway (the built CLI) adds to a `tools/call` round trip over stdio, against
 * the same sequential `echo` calls sent to server-everything directly, and the gateway process's memory when idle.
 * The policy has no contracts and no sink: the cost of the proxy and of governance, not of a rule or a disk.
 */
export async function benchGateway(): Promise<void> {
	console.log('\n== toolwarden-mcp gateway (issue #13) ==');
	const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
	const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
	const policy = join(await mkdtemp(join(tmpdir(), 'tw-bench-')), 'policy.mjs');
	await writeFile(policy, 'export default { limits: { maxAttempts: Infinity, maxToolCalls: Infinity } };\n');
	const connect = async (args: string[]) => {
		const transport = new StdioClientTransport({ command: process.execPath, args, cwd: ROOT, stderr: 'ignore' });
		const client = new Client({ name: 'bench', version: '1' });
		await client.connect(transport);
		return { client, pid: transport.pid as number };
	};
	const directly = await connect(EVERYTHING);
	const gated = await connect(['dist/adapters/mcp/cli.js', '--policy', policy, '--', process.execPath, ...EVERYTHING]);
	await gated.client.listTools(); // the gateway learns echo's annotations, as a real client's session does
	const echo = (client: InstanceType<typeof Client>) => () =>
		client.callTool({ name: 'echo', arguments: { message: 'hi' } });
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	const idle = rssMiB(gated.pid);
	// Interleaved rounds, so a busy neighbour on the machine weighs on both sides alike.
	const bare: Latency[] = [];
	const governed: Latency[] = [];
	for (let round = 0; round < 3; round++) {
		bare.push(await latencies(echo(directly.client)));
		governed.push(await latencies(echo(gated.client)));
	}
	const mid = (xs: Latency[], key: keyof Latency) => xs.map((x) => x[key]).sort((a, b) => a - b)[1] as number;
	const line = (name: string, l: { medianMs: number; p90Ms: number }) =>
		`${name.padEnd(44)} median ${l.medianMs.toFixed(3)} ms  p90 ${l.p90Ms.toFixed(3)} ms`;
	const direct = { medianMs: mid(bare, 'medianMs'), p90Ms: mid(bare, 'p90Ms') };
	const through = { medianMs: mid(governed, 'medianMs'), p90Ms: mid(governed, 'p90Ms') };
	console.log(line('echo over stdio, direct', direct));
	console.log(line('echo over stdio, through toolwarden-mcp', through));
	console.log(
		`gateway overhead per call: median +${(through.medianMs - direct.medianMs).toFixed(3)} ms, ` +
			`p90 +${(through.p90Ms - direct.p90Ms).toFixed(3)} ms`,
	);
	// A gateway call wakes a third process: on a loaded machine its p90 is mostly the scheduler's, so say the load.
	console.log(`load average during the run: ${loadavg()[0]?.toFixed(1) ?? '?'}`);
	console.log(`gateway idle memory (RSS, after connect and tools/list): ${idle.toFixed(1)} MiB`);
	await Promise.all([directly.client.close(), gated.client.close()]);
}
