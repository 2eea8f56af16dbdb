import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';
import type { GuardReport, SessionContext } from './Guard.js';

/** The session's quarantined tools, by tool name: which guard quarantined it and why. Read by `warden.report()`. */
export type QuarantineRegistry = Readonly<Record<string, { readonly rule: string; readonly reason: string }>>;

export const QUARANTINE_KEY = 'quarantine';

/** Records that `rule` quarantined `tools` for the session (for the run report; each guard also enforces its own). */
export function quarantine(
	storage: StorageBackend,
	sessionId: string,
	rule: string,
	tools: readonly string[],
	reason: string,
): Awaitable<void> {
	return storage.update<QuarantineRegistry, void>(sessionId, QUARANTINE_KEY, (current) => {
		const next: Record<string, { rule: string; reason: string }> = { ...current };
		for (const tool of tools) next[tool] ??= { rule, reason };
		return { value: next, result: undefined };
	});
}

/** The quarantine part of the run report, for the guards that quarantine tools. */
export async function quarantineReport(ctx: SessionContext): Promise<GuardReport> {
	const registry = await ctx.storage.read<QuarantineRegistry>(ctx.sessionId, QUARANTINE_KEY);
	return { quarantined: Object.entries(registry ?? {}).map(([tool, { reason }]) => ({ tool, reason })) };
}
