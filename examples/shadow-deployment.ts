/**
 * Shadow deployment: run a new rule in observe mode on real traffic, read what it would have denied (the run report
 * counts it by rule, the audit trail names the calls), tune the rule, then enforce it.
 * Run: npx tsx examples/shadow-deployment.ts
 */
import { AuditAction, MemorySink, precondition, Verdict, Warden, type Contract, type ToolEnvelope } from 'toolwarden';
import { runIfMain } from './run-main.js';

/** Yesterday's traffic, replayed: the rule must block the dangerous calls and nothing else. */
const TRAFFIC: Array<{ sql: string }> = [
	{ sql: 'SELECT * FROM orders WHERE id = 7' },
	{ sql: 'DELETE FROM sessions WHERE expires_at < now()' },
	{ sql: 'DROP TABLE customers' },
	{ sql: 'SELECT name FROM products' },
	{ sql: 'DELETE FROM customers' },
];

const firstDraft = precondition(
	'sql',
	(call: ToolEnvelope) =>
		/\b(DELETE|DROP)\b/i.test(String(call.args['sql']))
			? Verdict.fail('Destructive SQL is not allowed.')
			: Verdict.pass(),
	{ name: 'noDestructiveSql' },
);

// Tuned after reading the shadow run: routine expiry cleanup is fine, unbounded deletes and drops are not.
const tuned = precondition(
	'sql',
	(call: ToolEnvelope) => {
		const sql = String(call.args['sql']);
		if (/\bDROP\b/i.test(sql)) return Verdict.fail('DROP is not allowed. Ask a DBA.');
		if (/\bDELETE\b/i.test(sql) && !/\bWHERE\b/i.test(sql))
			return Verdict.fail('DELETE needs a WHERE clause. Narrow it to the rows you mean.');
		return Verdict.pass();
	},
	{ name: 'noDestructiveSql' },
);

/** Runs the traffic through `rule`; one line: what ran, what was (or would have been) denied, by rule, and which. */
async function replay(rule: Contract, mode: 'observe' | 'enforce'): Promise<string> {
	const sink = new MemorySink();
	const warden = new Warden({ mode, contracts: [rule], audit: sink });
	for (const args of TRAFFIC) await warden.run('sql', args, () => 'ok').catch(() => undefined);
	const report = await warden.report();
	const [verb, count, byRule, action] =
		mode === 'observe'
			? ['would deny', report.wouldDeny, report.wouldDenyByRule, AuditAction.CALL_WOULD_DENY]
			: ['denied', report.denied, report.interventions, AuditAction.CALL_DENIED];
	const rules = Object.entries(byRule)
		.map(([name, n]) => `${name} ×${n}`)
		.join(', ');
	// The report counts; it never holds arguments, so the audit trail names the calls.
	const calls = sink.events.filter((e) => e.action === action).map((e) => (e.toolArgs as { sql: string }).sql);
	return `${report.executed}/${TRAFFIC.length} ran, ${verb} ${count} (${rules}): ${calls.join(' | ')}`;
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
	log(`observe, first draft: ${await replay(firstDraft, 'observe')}`);
	log(`observe, tuned rule:  ${await replay(tuned, 'observe')}`);
	log(`enforce, tuned rule:  ${await replay(tuned, 'enforce')}`);
}

runIfMain(import.meta.url, main);
