import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
	circuitBreaker,
	costBudget,
	denialStreak,
	jitterGuard,
	repeatGuard,
	sequenceGuard,
	sideEffectLedger,
	Warden,
	type Contract,
	type ToolSpec,
} from 'toolwarden';

/** A scripted tool call: what the agent sends and what the tool answers (a result, or an error). */
export interface CallStep {
	readonly tool: string;
	readonly args?: Record<string, unknown>;
	readonly result?: unknown;
	readonly error?: {
		readonly name?: string;
		readonly message?: string;
		readonly status?: number;
		readonly code?: string;
	};
}

/** One step: a call, real spend to record, or a switch to another session (another agent). */
export type Step =
	| CallStep
	| { readonly usage: { readonly costUsd?: number; readonly inputTokens?: number; readonly outputTokens?: number } }
	| { readonly session: string };

/** A scenario file. */
export interface Scenario {
	readonly name: string;
	readonly description: string;
	readonly tools?: Readonly<Record<string, ToolSpec>>;
	/** Query tools for jitterGuard (tool → query arg(s)). */
	readonly queryTools?: Readonly<Record<string, string | readonly string[]>>;
	readonly pollTools?: readonly string[];
	readonly budget?: { readonly maxUsd: number; readonly costs?: Readonly<Record<string, number>> };
	readonly steps: readonly Step[];
	/** The decision expected for each call step, in order. */
	readonly expect: readonly Decision[];
}

export type Decision = 'run' | 'replay' | 'deny';

/** What a scenario run produced. */
export interface ScenarioResult {
	readonly name: string;
	readonly decisions: Decision[];
	readonly executed: number;
	readonly denied: number;
	readonly replayed: number;
	readonly costUsd: number;
	/** 1-based call step of the first denial or replay, and the rule that made it. */
	readonly firstIntervention: { readonly step: number; readonly rule: string } | null;
}

/**
 * Every behaviour guard, in a sensible order: a quarantined or over-budget tool is stopped first, a repeated side
 * effect is answered by the ledger (the most precise reason), loops and jitter next, cycles last.
 */
export function allGuards(scenario: Pick<Scenario, 'queryTools' | 'pollTools' | 'budget'>): Contract[] {
	return [
		denialStreak(),
		circuitBreaker(),
		...(scenario.budget === undefined ? [] : [costBudget(scenario.budget)]),
		sideEffectLedger(),
		repeatGuard(scenario.pollTools === undefined ? {} : { pollTools: scenario.pollTools }),
		...(scenario.queryTools === undefined ? [] : [jitterGuard({ queryTools: scenario.queryTools })]),
		sequenceGuard(),
	];
}

const STEP_KEYS = new Set(['tool', 'args', 'result', 'error', 'usage', 'session']);

/** Runs one scenario against a fresh Warden with every guard enabled. */
export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
	const warden = new Warden({ contracts: allGuards(scenario), tools: scenario.tools ?? {}, sessionId: 'agent' });
	let sessionId = 'agent';
	const sessions = new Set([sessionId]);
	const decisions: Decision[] = [];
	let firstIntervention: ScenarioResult['firstIntervention'] = null;
	for (const [index, step] of scenario.steps.entries()) {
		const unknown = Object.keys(step).filter((key) => !STEP_KEYS.has(key));
		if (unknown.length > 0)
			throw new Error(`${scenario.name}: step ${index + 1} has unknown keys ${unknown.join(', ')}`);
		if ('session' in step) {
			sessionId = step.session;
			sessions.add(sessionId);
			continue;
		}
		if ('usage' in step) {
			await warden.recordUsage(step.usage, { sessionId });
			continue;
		}
		const call = await warden.begin(step.tool, step.args ?? {}, { sessionId });
		let decision: Decision;
		if (call.replayed) decision = 'replay';
		else if (!call.allowed) decision = 'deny';
		else {
			decision = 'run';
			if (step.error === undefined) await call.succeed(step.result);
			else await call.fail(Object.assign(new Error(step.error.message ?? 'tool failed'), step.error));
		}
		decisions.push(decision);
		if (decision !== 'run' && firstIntervention === null)
			firstIntervention = { step: decisions.length, rule: call.decision.rule ?? 'unknown' };
	}
	const reports = await Promise.all([...sessions].map((id) => warden.report(id)));
	return {
		name: scenario.name,
		decisions,
		executed: reports.reduce((n, r) => n + r.executed, 0),
		denied: reports.reduce((n, r) => n + r.denied, 0),
		replayed: reports.reduce((n, r) => n + r.replayed, 0),
		costUsd: reports.reduce((n, r) => n + r.cost.spentUsd, 0),
		firstIntervention,
	};
}

/** Loads every `*.json` scenario in a folder, sorted by file name. */
export async function loadScenarios(folder: string): Promise<Scenario[]> {
	const files = (await readdir(folder)).filter((file) => file.endsWith('.json')).sort();
	return Promise.all(files.map(async (file) => JSON.parse(await readFile(join(folder, file), 'utf8')) as Scenario));
}
