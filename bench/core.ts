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
		precondition(
			'read_file',
			(call) => (String(call.args['path']).endsWith('.env') ? Verdict.fail('no .env') : Verdict.pass()),
			{ name: 'noDotEnv' },
		),
		precondition('*', (call) => (call.args['path'] === '/etc/shadow' ? Verdict.fail('no') : Verdict.pass()), {
			name: 'noShadow',
		}),
		precondition(['read_file', 'write_file'], () => Verdict.pass(), { name: 'always' }),
		sessionContract((s) => (s.executions < Number.MAX_SAFE_INTEGER ? Verdict.pass() : Verdict.fail('budget')), {
			name: 'budget',
		}),
	];

	console.log('== core pipeline (issue #2) ==');
	const bare = await measure('bare async call', () => tool(args));
	console.log(row(bare));

	const plain = new Warden({ limits: unlimited });
	console.log(
		row(await measure('warden.run, no contracts, no sink', () => plain.run('read_file', args, tool)), bare.medianNs),
	);

	const sink = new MemorySink({ maxEvents: 1000 });
	const full = new Warden({ limits: unlimited, contracts: contracts(), audit: sink });
	const fullTiming = await measure('warden.run, 3 preconditions + 1 session contract + MemorySink', () =>
		full.run('read_file', args, tool),
	);
	console.log(row(fullTiming, bare.medianNs));

	const denying = new Warden({
		limits: unlimited,
		contracts: [precondition('*', () => Verdict.fail('Not allowed.'))],
		audit: new MemorySink({ maxEvents: 1000 }),
	});
	const denied = () => denying.run('read_file', args, tool).catch((e: unknown) => e instanceof ToolCallDenied);
	console.log(row(await measure('denied call (precondition, MemorySink)', denied), bare.medianNs));

	const overheadUs = (fullTiming.medianNs - bare.medianNs) / 1000;
	console.log(
		`overhead of the full case: ${overheadUs.toFixed(2)} µs (target <= 5 µs) ${overheadUs <= 5 ? 'OK' : 'OVER TARGET'}`,
	);

	await heapGrowth(args, tool, contracts);
}

async function heapGrowth(
	args: object,
	tool: (a: never) => Promise<number>,
	contracts: () => Contract[],
): Promise<void> {
	const { Warden } = lib;
	// Events are counted, not kept, so the figure shows what governance itself retains per session.
	let events = 0;
	const counting: AuditSink = { emit: (_e: AuditEvent) => void events++ };
	const warden = new Warden({
		limits: { maxAttempts: Infinity, maxToolCalls: Infinity },
		contracts: contracts(),
		audit: counting,
	});
	const run = () => warden.run('read_file', args, tool as never);
	for (let i = 0; i < 20_000; i++) await run();
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const before = process.memoryUsage().heapUsed;
	for (let i = 0; i < 1_000_000; i++) await run();
	gc?.();
	const after = process.memoryUsage().heapUsed;
	const growthMb = (after - before) / 1024 / 1024;
	console.log(
		`heap growth over 1,000,000 calls in one session: ${growthMb.toFixed(2)} MB (${events} events; target < 10 MB) ${growthMb < 10 ? 'OK' : 'OVER TARGET'}${gc === undefined ? ' [run with --expose-gc for an exact figure]' : ''}`,
	);
}

/** Issue #4: the same full case with every behaviour guard enabled, and state per session bounded by the windows. */
export async function benchGuards(): Promise<void> {
	const {
		MemorySink,
		MemoryStorage,
		precondition,
		sessionContract,
		Verdict,
		Warden,
		repeatGuard,
		jitterGuard,
		circuitBreaker,
		sideEffectLedger,
		sequenceGuard,
		costBudget,
		denialStreak,
	} = lib;
	console.log('\n== behaviour guards (issue #4) ==');
	const unlimited = { maxAttempts: Infinity, maxToolCalls: Infinity };
	const tool = (a: Readonly<{ path: string }>) => Promise.resolve(a.path.length);
	const base = () => [
		precondition('read_file', () => Verdict.pass(), { name: 'a' }),
		precondition('*', () => Verdict.pass(), { name: 'b' }),
		precondition(['read_file', 'write_file'], () => Verdict.pass(), { name: 'c' }),
		sessionContract(() => Verdict.pass(), { name: 'd' }),
	];
	const guards = () => [
		repeatGuard(),
		jitterGuard({ queryTools: { web_search: 'query' } }),
		circuitBreaker(),
		sideEffectLedger(),
		sequenceGuard(),
		costBudget({ maxUsd: 1e9, defaultCost: 0.000001 }),
		denialStreak(),
	];
	// Varied args, as a real session has: the guards do their full work (no loop is ever detected).
	let i = 0;
	const next = () => ({ path: `src/file-${i++ % 5000}.ts` });
	// Unregistered, read_file is irreversible: the side-effect ledger claims and completes every call (worst case).
	// Registered as a read, the ledger skips it (the common case for lookups).
	for (const [label, tools] of [
		['side-effecting tool (worst case)', {}],
		['registered read tool', { read_file: { sideEffect: 'read' as const } }],
	] as const) {
		const without = new Warden({
			limits: unlimited,
			tools,
			contracts: base(),
			audit: new MemorySink({ maxEvents: 1000 }),
		});
		const withGuards = new Warden({
			limits: unlimited,
			tools,
			contracts: [...base(), ...guards()],
			audit: new MemorySink({ maxEvents: 1000 }),
		});
		const a = await measure(`full case, no guards, ${label}`, () => without.run('read_file', next(), tool));
		console.log(row(a));
		const b = await measure(`full case + all 7 guards, ${label}`, () => withGuards.run('read_file', next(), tool));
		console.log(row(b));
		const extra = (b.medianNs - a.medianNs) / 1000;
		console.log(
			`guards add ${extra.toFixed(2)} µs per call, ${label} (target <= 3 µs) ${extra <= 3 ? 'OK' : 'OVER TARGET'}`,
		);
	}

	// Memory per session is bounded by the guards' windows, whatever the number of calls.
	const storage = new MemoryStorage();
	const bounded = new Warden({ storage, limits: unlimited, contracts: guards() });
	const gc = (globalThis as { gc?: () => void }).gc;
	const heapAfter = async (calls: number) => {
		for (let n = 0; n < calls; n++) await bounded.run('read_file', { path: `f-${n}` }, tool);
		gc?.();
		return process.memoryUsage().heapUsed;
	};
	await heapAfter(20_000);
	const h1 = await heapAfter(100_000);
	const h2 = await heapAfter(400_000);
	console.log(
		`one session, all guards: heap +${((h2 - h1) / 1024 / 1024).toFixed(2)} MB from 120k to 520k calls (bounded by the windows: expect ~0)`,
	);
}
