import type { AuditEvent, AuditSink, Contract } from '../src/index.js';
import { lib } from './lib.js';
import { measure, row } from './measure.js';

/** The core pipeline benchmark of issue #2: governance overhead per call and heap growth over 1M calls. */
export async function benchCore(): Promise<void> {
	const { MemorySink, precondition, sessionContract, ToolCallDenied, Verdict, Warden } = lib;
	const args = { path: 'src/index.ts', encoding: 'utf8', maxBytes: 65_536 };
	// A tool that completes asynchronously without doing work, so the figures show governance alone.
	const tool = (a: Readonly<typeof args>) => Promise.resolve(a.path.length);
	const unlimited = { maxAttempts: Infinity, maxToolCalls: Infinity };

	const contracts = () => [
		precondition('read_file', (call) => (String(call.args['path']).endsWith('.env') ? Verdict.fail('no .env') : Verdict.pass()), { name: 'noDotEnv' }),
		precondition('*', (call) => (call.args['path'] === '/etc/shadow' ? Verdict.fail('no') : Verdict.pass()), { name: 'noShadow' }),
		precondition(['read_file', 'write_file'], () => Verdict.pass(), { name: 'always' }),
		sessionContract((s) => (s.executions < Number.MAX_SAFE_INTEGER ? Verdict.pass() : Verdict.fail('budget')), { name: 'budget' }),
	];

	console.log('== core pipeline (issue #2) ==');
	const bare = await measure('bare async call', () => tool(args));
	console.log(row(bare));

	const plain = new Warden({ limits: unlimited });
	console.log(row(await measure('warden.run, no contracts, no sink', () => plain.run('read_file', args, tool)), bare.medianNs));

	const sink = new MemorySink({ maxEvents: 1000 });
	const full = new Warden({ limits: unlimited, contracts: contracts(), audit: sink });
	const fullTiming = await measure('warden.run, 3 preconditions + 1 session contract + MemorySink', () => full.run('read_file', args, tool));
	console.log(row(fullTiming, bare.medianNs));

	const denying = new Warden({ limits: unlimited, contracts: [precondition('*', () => Verdict.fail('Not allowed.'))], audit: new MemorySink({ maxEvents: 1000 }) });
	const denied = () => denying.run('read_file', args, tool).catch((e: unknown) => e instanceof ToolCallDenied);
	console.log(row(await measure('denied call (precondition, MemorySink)', denied), bare.medianNs));

	const overheadUs = (fullTiming.medianNs - bare.medianNs) / 1000;
	console.log(`overhead of the full case: ${overheadUs.toFixed(2)} µs (target <= 5 µs) ${overheadUs <= 5 ? 'OK' : 'OVER TARGET'}`);

	await heapGrowth(args, tool, contracts);
}

async function heapGrowth(args: object, tool: (a: never) => Promise<number>, contracts: () => Contract[]): Promise<void> {
	const { Warden } = lib;
	// Events are counted, not kept, so the figure shows what governance itself retains per session.
	let events = 0;
	const counting: AuditSink = { emit: (_e: AuditEvent) => void events++ };
	const warden = new Warden({ limits: { maxAttempts: Infinity, maxToolCalls: Infinity }, contracts: contracts(), audit: counting });
	const run = () => warden.run('read_file', args, tool as never);
	for (let i = 0; i < 20_000; i++) await run();
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const before = process.memoryUsage().heapUsed;
	for (let i = 0; i < 1_000_000; i++) await run();
	gc?.();
	const after = process.memoryUsage().heapUsed;
	const growthMb = (after - before) / 1024 / 1024;
	console.log(`heap growth over 1,000,000 calls in one session: ${growthMb.toFixed(2)} MB (${events} events; target < 10 MB) ${growthMb < 10 ? 'OK' : 'OVER TARGET'}${gc === undefined ? ' [run with --expose-gc for an exact figure]' : ''}`);
}
