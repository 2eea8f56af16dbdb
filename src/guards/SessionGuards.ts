import type { ContractRule } from '../contracts/rules.js';
import type { ToolEnvelope } from '../envelope/types.js';
import type { Usage } from '../report/sessionSpend.js';
import type { Awaitable } from '../storage/StorageBackend.js';
import { isGuardRule } from './defineGuard.js';
import type { Guard, GuardReport, SessionContext } from './Guard.js';

/** The guards of a Warden, seen through their session hooks: what the Warden asks of guards outside a call. */
export class SessionGuards {
	readonly #guards: ReadonlyArray<{ readonly name: string; readonly guard: Guard }>;
	/** Whether any guard acts on denials (so a Warden without one does no work for them). */
	readonly watchDenials: boolean;
	/** Whether any guard keeps something `warden.reconcile` can settle. */
	readonly reconciles: boolean;

	constructor(contracts: readonly ContractRule[]) {
		this.#guards = contracts.filter(isGuardRule).map((rule) => ({ name: rule.name, guard: rule.guard }));
		this.watchDenials = this.#guards.some(({ guard }) => guard.onDenial !== undefined);
		this.reconciles = this.#guards.some(({ guard }) => guard.reconcile !== undefined);
	}

	/** The first guard that halts the session after this denial: its rule name and message. */
	async onDenial(
		ctx: SessionContext,
		streak: number,
	): Promise<{ readonly rule: string; readonly message: string } | undefined> {
		for (const { name, guard } of this.#guards) {
			const message = guard.onDenial === undefined ? undefined : await guard.onDenial(ctx, streak);
			if (message !== undefined) return { rule: name, message };
		}
		return undefined;
	}

	/** What the guards add to the run report, merged (a tool quarantined by several guards is listed once). */
	async report(
		ctx: SessionContext,
		interventions: Readonly<Record<string, number>>,
	): Promise<{
		readonly quarantined: NonNullable<GuardReport['quarantined']>;
		readonly sideEffectsPrevented: number;
		readonly budgetUsd: number | undefined;
	}> {
		const parts = await Promise.all(this.#guards.map(async ({ guard }) => guard.report?.(ctx, interventions)));
		const quarantined = new Map<string, { readonly tool: string; readonly reason: string }>();
		let sideEffectsPrevented = 0;
		let budgetUsd: number | undefined;
		for (const part of parts) {
			for (const entry of part?.quarantined ?? []) if (!quarantined.has(entry.tool)) quarantined.set(entry.tool, entry);
			// Several ledgers report the same count (by rule name): it counts once.
			sideEffectsPrevented = Math.max(sideEffectsPrevented, part?.sideEffectsPrevented ?? 0);
			budgetUsd ??= part?.budgetUsd;
		}
		return { quarantined: [...quarantined.values()], sideEffectsPrevented, budgetUsd };
	}

	/** Usage priced by the first guard that prices it, or undefined when none does. */
	usage(ctx: SessionContext, usage: Usage): Awaitable<number> | undefined {
		for (const { guard } of this.#guards) if (guard.usage !== undefined) return guard.usage(ctx, usage);
		return undefined;
	}

	/** Settles a call in every guard that keeps calls. */
	async reconcile(
		ctx: SessionContext,
		call: ToolEnvelope,
		outcome: { readonly executed: boolean; readonly result?: unknown },
	): Promise<void> {
		for (const { guard } of this.#guards) if (guard.reconcile !== undefined) await guard.reconcile(ctx, call, outcome);
	}
}
