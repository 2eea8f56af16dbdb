/**
 * Shadow deployment: run a new rule in observe mode on real traffic, read the would-deny events, tune the rule, then
 * enforce it. Run: npx tsx examples/shadow-deployment.ts
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

const firstDraft = precondition('sql', (call: ToolEnvelope) => (/\b(DELETE|DROP)\b/i.test(String(call.args['sql'])) ? Verdict.fail('Destructive SQL is not allowed.') : Verdict.pass()), { name: 'noDestructiveSql' });

// Tuned after reading the shadow run: routine expiry cleanup is fine, unbounded deletes and drops are not.
const tuned = precondition(
	'sql',
	(call: ToolEnvelope) => {
		const sql = String(call.args['sql']);
		if (/\bDROP\b/i.test(sql)) return Verdict.fail('DROP is not allowed. Ask a DBA.');
		if (/\bDELETE\b/i.test(sql) && !/\bWHERE\b/i.test(sql)) return Verdict.fail('DELETE needs a WHERE clause. Narrow it to the rows you mean.');
		return Verdict.pass();
	},
	{ name: 'noDestructiveSql' },
);

async function replay(rule: Contract, mode: 'observe' | 'enforce'): Promise<{ ran: number; flagged: string[] }> {
	const sink = new MemorySink();
	const warden = new Warden({ mode, contracts: [rule], audit: sink });
	let ran = 0;
	for (const args of TRAFFIC) await warden.run('sql', args, () => ran++).catch(() => undefined);
	const flagged = sink.events.filter((e) => e.action === AuditAction.CALL_WOULD_DENY || e.action === AuditAction.CALL_DENIED).map((e) => (e.toolArgs as { sql: string }).sql);
	return { ran, flagged };
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const shadow = await replay(firstDraft, 'observe');
	log(`observe, first draft: ${shadow.ran}/${TRAFFIC.length} ran, would deny: ${shadow.flagged.join(' | ')}`);
	const retuned = await replay(tuned, 'observe');
	log(`observe, tuned rule:  ${retuned.ran}/${TRAFFIC.length} ran, would deny: ${retuned.flagged.join(' | ')}`);
	const enforced = await replay(tuned, 'enforce');
	log(`enforce, tuned rule:  ${enforced.ran}/${TRAFFIC.length} ran, denied: ${enforced.flagged.join(' | ')}`);
}

runIfMain(import.meta.url, main);
