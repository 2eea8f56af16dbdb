import type { AuditEvent, AuditSink } from '../src/index.js';
import { lib } from './lib.js';
import { measureInterleaved, row, type Timing } from './measure.js';

/**
 * The floor of issue #12: straight-line code doing only what any governance design must do for the full case
 * (3 preconditions + 1 session rule + a sink behind redaction): copy and freeze the args, count the attempt, run the
 * rules, reserve the execution, await the tool, hand two events with redacted args to a sink. toolwarden's overhead
 * is reported as a multiple of the floor's, measured in the same process in interleaved batches, because absolute
 * figures move about 3x between machines of the same kind (and with the load of the machine).
 */
export async function benchFloor(): Promise<void> {
	const { MemorySink, precondition, sessionContract, Verdict, Warden } = lib;
	console.log('\n== overhead against a hand-written floor (issue #12) ==');
	const args = { path: 'src/index.ts', encoding: 'utf8', maxBytes: 65_536 };
	const tool = (a: Readonly<typeof args>) => Promise.resolve(a.path.length);
	const unlimited = { maxAttempts: Infinity, maxToolCalls: Infinity };

	const floorSink = new FloorSink();
	const floor = floorCall(floorSink, tool, new lib.RedactionPolicy());
	const full = new Warden({
		limits: unlimited,
		audit: new MemorySink({ maxEvents: 1000 }),
		contracts: [
			precondition(
				'read_file',
				(c) => (String(c.args['path']).endsWith('.env') ? Verdict.fail('no .env') : Verdict.pass()),
				{
					name: 'noDotEnv',
				},
			),
			precondition('*', (c) => (c.args['path'] === '/etc/shadow' ? Verdict.fail('no') : Verdict.pass()), {
				name: 'noShadow',
			}),
			precondition(['read_file', 'write_file'], () => Verdict.pass(), { name: 'always' }),
			sessionContract((s) => (s.executions < Number.MAX_SAFE_INTEGER ? Verdict.pass() : Verdict.fail('budget')), {
				name: 'budget',
			}),
		],
	});
	const plain = new Warden({ limits: unlimited });
	// A denied call: the same sink, one precondition that fails; `run()` rejects with a ToolCallDenied.
	const denying = new Warden({
		limits: unlimited,
		audit: new MemorySink({ maxEvents: 1000 }),
		contracts: [precondition('read_file', () => Verdict.fail('no'), { name: 'nope' })],
	});
	const deny = () => denying.run('read_file', args, tool).catch(() => 0);
	// Guards on a side-effecting tool (unregistered: irreversible), with varied args as a real session has.
	const { repeatGuard, jitterGuard, circuitBreaker, sideEffectLedger, sequenceGuard, costBudget, denialStreak } = lib;
	const base = () => [
		precondition('write_file', () => Verdict.pass(), { name: 'a' }),
		precondition('*', () => Verdict.pass(), { name: 'b' }),
		precondition(['read_file', 'write_file'], () => Verdict.pass(), { name: 'c' }),
		sessionContract(() => Verdict.pass(), { name: 'd' }),
	];
	const guards = [
		repeatGuard(),
		jitterGuard({ queryTools: { web_search: 'query' } }),
		circuitBreaker(),
		sideEffectLedger(),
		sequenceGuard(),
		costBudget({ maxUsd: 1e9, defaultCost: 0.000001 }),
		denialStreak(),
	];
	const tools = { write_file: { sideEffect: 'irreversible' as const } };
	const unguarded = new Warden({
		limits: unlimited,
		tools,
		contracts: base(),
		audit: new MemorySink({ maxEvents: 1000 }),
	});
	const guarded = new Warden({
		limits: unlimited,
		tools,
		contracts: [...base(), ...guards],
		audit: new MemorySink({ maxEvents: 1000 }),
	});
	let n = 0;
	const write = (a: Readonly<{ path: string }>) => Promise.resolve(a.path.length);
	const next = () => ({ path: `src/file-${n++ % 5000}.ts` });
	const cases = [
		{ name: 'bare async call', call: () => tool(args) },
		{ name: 'floor: the same work, hand-written', call: () => floor(args) },
		{ name: 'toolwarden: full case', call: () => full.run('read_file', args, tool) },
		{ name: 'toolwarden: no contracts, no sink', call: () => plain.run('read_file', args, tool) },
		{ name: 'toolwarden: a denied call (run() rejects)', call: deny },
		{ name: 'toolwarden: full case, side-effecting tool', call: () => unguarded.run('write_file', next(), write) },
		{ name: 'toolwarden: the same + all 7 guards', call: () => guarded.run('write_file', next(), write) },
	];
	const [bare, floorTiming, fullTiming, plainTiming, deniedTiming, unguardedTiming, guardedTiming] =
		(await measureInterleaved(cases)) as [Timing, Timing, Timing, Timing, Timing, Timing, Timing];
	for (const timing of [floorTiming, fullTiming, plainTiming, deniedTiming, unguardedTiming, guardedTiming])
		console.log(row(timing, bare.medianNs));

	console.log(ratioLine('full case', fullTiming, floorTiming, bare, 2));
	console.log(ratioLine('no contracts, no sink', plainTiming, floorTiming, bare));
	// A denial's path is asynchronous (counting, audit) and ends in a rejection; its ToolCallDenied captures no stack.
	console.log(ratioLine('a denied call', deniedTiming, floorTiming, bare));
	const guardRatio = (guardedTiming.medianNs - unguardedTiming.medianNs) / (floorTiming.medianNs - bare.medianNs);
	const verdict = guardRatio <= 1 ? 'OK' : 'OVER TARGET';
	console.log(
		`all 7 guards on a side-effecting tool add ${guardRatio.toFixed(2)}x the floor's overhead (target <= 1x) ${verdict}`,
	);

	// The target holds for a long session too: a million more calls in the same session, then the same cases again
	// (the same mix: how fast the floor runs depends on what else runs in the process).
	for (let i = 0; i < 1_000_000; i++) await full.run('read_file', args, tool);
	const [bareAfter, floorAfter, fullAfter] = (await measureInterleaved(cases)) as [Timing, Timing, Timing];
	console.log(row(fullAfter, bareAfter.medianNs));
	console.log(ratioLine('full case after 1,000,000 more calls in its session', fullAfter, floorAfter, bareAfter, 2));
}

function ratioLine(label: string, measured: Timing, floor: Timing, bare: Timing, target?: number): string {
	const ratio = (measured.medianNs - bare.medianNs) / (floor.medianNs - bare.medianNs);
	const verdict = target === undefined ? '' : ` (target <= ${target}x) ${ratio <= target ? 'OK' : 'OVER TARGET'}`;
	return `overhead of ${label}: ${ratio.toFixed(2)}x the floor's${verdict}`;
}

/** Keeps the last events, as the MemorySink of the measured case does, so both pay for retention alike. */
class FloorSink implements AuditSink {
	readonly events: AuditEvent[] = [];
	emit(event: AuditEvent): void {
		if (this.events.length >= 1000) this.events.shift();
		this.events.push(event);
	}
}

type Tool<A> = (a: Readonly<A>) => Promise<number>;

/**
 * The floor. Args are redacted by the library's own `RedactionPolicy.redact` (the same coverage is essential work:
 * a cheaper check would not be the same job); everything else is the leanest straight-line code: a for-in copy and a
 * freeze, plain counters, the rules inlined, events as object literals with every field of `AuditEvent`, epoch
 * timestamps.
 */
function floorCall<A extends Record<string, unknown>>(
	sink: AuditSink,
	tool: Tool<A>,
	redaction: { redact(v: unknown): unknown },
) {
	let attempts = 0;
	let executions = 0;
	let seq = 0;
	const none: readonly never[] = [];
	return async (input: A): Promise<number> => {
		const copy: Record<string, unknown> = {};
		for (const key in input) copy[key] = input[key];
		const frozen = Object.freeze(copy) as Readonly<A>;
		attempts++;
		const path = String(frozen['path']);
		if (path.endsWith('.env')) throw new Error('no .env');
		if (path === '/etc/shadow') throw new Error('no');
		if (executions >= Number.MAX_SAFE_INTEGER) throw new Error('budget');
		executions++;
		const callId = `c${seq++}`;
		const toolArgs = redaction.redact(frozen);
		const startedAt = Date.now();
		void sink.emit(event(callId, attempts, executions, toolArgs, 'call_allowed', startedAt, null, none));
		const result = await tool(frozen);
		void sink.emit(event(callId, attempts, executions, toolArgs, 'call_executed', Date.now(), true, none));
		return result;
	};
}

function event(
	callId: string,
	attempts: number,
	executions: number,
	toolArgs: unknown,
	action: string,
	timestamp: number,
	toolSuccess: boolean | null,
	none: readonly never[],
): AuditEvent {
	return {
		schemaVersion: 1,
		timestamp,
		sessionId: 's',
		callId,
		callIndex: attempts,
		parentCallId: null,
		toolName: 'read_file',
		toolArgs,
		sideEffect: 'read',
		environment: 'production',
		principal: null,
		mode: 'enforce',
		action,
		decisionSource: null,
		decisionRule: null,
		reason: null,
		hooksEvaluated: none,
		contractsEvaluated: none,
		wouldDeny: none,
		toolSuccess,
		postconditionsPassed: toolSuccess,
		warnings: none,
		durationMs: 0,
		error: null,
		resultSummary: null,
		attempts,
		executions,
		metadata: {},
	} as unknown as AuditEvent;
}
