/**
 * `npm run demo`: a scripted agent session (no LLM, no network, no API keys) governed by toolwarden.
 * Part 1 enforces: allowed calls run, denied calls never do and the agent reads the reason and adapts.
 * Part 2 replays the same script in observe mode: nothing is blocked, every denial is audited as would-deny.
 * Part 3 reads the audit trail: counts, and one redacted event.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	AuditAction,
	denialStreak,
	formatReport,
	JsonlFileSink,
	MemorySink,
	postcondition,
	precondition,
	repeatGuard,
	sessionContract,
	sideEffectLedger,
	tool,
	ToolCallDenied,
	Verdict,
	Warden,
	type AuditEvent,
	type Mode,
	type SessionView,
	type ToolEnvelope,
} from 'toolwarden';
import { runIfMain } from './run-main.js';

const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const [green, red, yellow, dim, bold] = [paint(32), paint(31), paint(33), paint(2), paint(1)];

/** The agent's tools: an in-memory workspace, a shell that only pretends, and a payments API. */
class DevTools {
	readonly files = new Map<string, string>([
		['README.md', '# Shop\nRefunds over $100 need approval.'],
		['/app/.env', 'STRIPE_KEY=sk_live_51HxQexampleexampleexample'],
	]);
	readonly refunds: Array<{ orderId: string; amount: number }> = [];

	@tool({ name: 'read_file', sideEffect: 'read' })
	async readFile(args: { path: string }): Promise<string> {
		const content = this.files.get(args.path);
		if (content === undefined) throw new Error(`ENOENT: ${args.path}`);
		return content;
	}

	@tool({ name: 'write_file', sideEffect: 'write' })
	async writeFile(args: { path: string; content: string }): Promise<string> {
		this.files.set(args.path, args.content);
		return `wrote ${args.content.length} bytes to ${args.path}`;
	}

	@tool({ name: 'bash' })
	async bash(args: { command: string }): Promise<string> {
		return `$ ${args.command}\n(simulated output)`;
	}

	@tool({ name: 'refund', sideEffect: 'irreversible' })
	async refund(args: { orderId: string; amount: number }): Promise<string> {
		this.refunds.push(args);
		return `refunded $${args.amount} on ${args.orderId}`;
	}
}

/** The team's policy, as a contract class. */
class Safety {
	@precondition('read_file')
	noSecretFiles(call: ToolEnvelope) {
		return /(^|\/)\.env$|\.ssh\//.test(String(call.filePath))
			? Verdict.fail('Reading secret files is not allowed. Ask the user for the specific value you need.')
			: Verdict.pass();
	}

	@precondition('bash')
	readOnlyShell(call: ToolEnvelope) {
		return call.sideEffect === 'read'
			? Verdict.pass()
			: Verdict.fail(
					'Only single read-only commands (ls, cat, grep, git status/log/diff) may run. Split the command, or ask the user to run it.',
				);
	}

	@precondition('refund')
	refundCap(call: ToolEnvelope) {
		const amount = Number(call.args['amount']);
		return amount <= 100
			? Verdict.pass()
			: Verdict.fail(
					`Refunds over $100 need a human approver. Refund at most $100 now and escalate the remaining $${amount - 100}.`,
				);
	}

	// A session contract sees every call; `when` narrows it to the calls it is about.
	@sessionContract({ when: (call) => call.toolName === 'write_file' })
	writeBudget(session: SessionView) {
		return session.toolExecutions('write_file') < 2
			? Verdict.pass()
			: Verdict.fail('Write budget for this session is used up. Summarise your changes for the user.');
	}

	@postcondition('read_file')
	notEmpty(_call: ToolEnvelope, result: unknown) {
		return typeof result === 'string' && result.length > 0
			? Verdict.pass()
			: Verdict.fail('The file is empty; it may not be the one you wanted.');
	}
}

type Step = { readonly thought: string; readonly call: (tools: DevTools) => unknown; readonly label: string };

/** What a model might do, scripted: including the mistakes, and the corrections after a denial. */
const SCRIPT: readonly Step[] = [
	{
		thought: 'Read the project notes.',
		label: "read_file({ path: 'README.md' })",
		call: (t) => t.readFile({ path: 'README.md' }),
	},
	{
		thought: 'The API key is probably in .env.',
		label: "read_file({ path: '/app/.env' })",
		call: (t) => t.readFile({ path: '/app/.env' }),
	},
	{
		thought: 'Check the repository state.',
		label: "bash({ command: 'git status' })",
		call: (t) => t.bash({ command: 'git status' }),
	},
	{
		thought: 'Clean up and push in one go.',
		label: "bash({ command: 'rm -rf build && git push --force' })",
		call: (t) => t.bash({ command: 'rm -rf build && git push --force' }),
	},
	{
		thought: 'Refund the customer in full.',
		label: "refund({ orderId: 'A-1001', amount: 240 })",
		call: (t) => t.refund({ orderId: 'A-1001', amount: 240 }),
	},
	{
		thought: 'Denied: refund $100 and escalate.',
		label: "refund({ orderId: 'A-1001', amount: 100 })",
		call: (t) => t.refund({ orderId: 'A-1001', amount: 100 }),
	},
	{
		thought: 'Write the escalation note.',
		label: "write_file({ path: 'notes/A-1001.md', ... })",
		call: (t) =>
			t.writeFile({
				path: 'notes/A-1001.md',
				content: 'Escalate $140 for A-1001. token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
			}),
	},
	{
		thought: 'Log it too.',
		label: "write_file({ path: 'notes/log.md', ... })",
		call: (t) => t.writeFile({ path: 'notes/log.md', content: 'A-1001 partially refunded' }),
	},
	{
		thought: 'And a summary file.',
		label: "write_file({ path: 'notes/summary.md', ... })",
		call: (t) => t.writeFile({ path: 'notes/summary.md', content: 'done' }),
	},
	{
		thought: 'Did the refund go through? Refund again to be sure.',
		label: "refund({ orderId: 'A-1001', amount: 100 })",
		call: (t) => t.refund({ orderId: 'A-1001', amount: 100 }),
	},
];

async function session(
	mode: Mode,
	log: (line: string) => void,
	audit: MemorySink,
	file: JsonlFileSink | undefined,
): Promise<{ tools: DevTools; warden: Warden }> {
	const raw = new DevTools();
	const warden = new Warden({
		mode,
		contracts: [new Safety(), sideEffectLedger(), repeatGuard(), denialStreak({ halt: 5 })],
		limits: { maxCallsPerTool: { refund: 3 } },
		audit: file === undefined ? audit : [audit, file],
		sessionId: `demo-${mode}`,
	});
	const tools = warden.protect(raw);
	for (const [i, step] of SCRIPT.entries()) {
		log(`${dim(`${String(i + 1).padStart(2)}.`)} ${dim(step.thought)}`);
		log(`    agent → ${step.label}`);
		try {
			// What the demo prints goes through the same redaction as the audit trail.
			const result = warden.redaction.redactText(String(await step.call(tools)).split('\n')[0] ?? '');
			const last = audit.events.at(-1);
			const wouldDeny = audit.events.at(-2)?.action === AuditAction.CALL_WOULD_DENY ? audit.events.at(-2) : undefined;
			if (last?.action === AuditAction.CALL_REPLAYED)
				log(`    ${yellow('↺ replayed')} [${last.decisionSource}/${last.decisionRule}] not run again: ${result}`);
			else
				log(
					wouldDeny === undefined
						? `    ${green('✓ allowed')}  ${result}`
						: `    ${yellow('⚠ would deny')} [${wouldDeny.decisionSource}/${wouldDeny.decisionRule}] ran anyway: ${result}`,
				);
		} catch (error) {
			if (!(error instanceof ToolCallDenied)) throw error;
			log(`    ${red('✗ denied')}   [${error.source}/${error.rule}] ${error.reason}`);
		}
	}
	await warden.close();
	return { tools: raw, warden };
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const dir = await mkdtemp(join(tmpdir(), 'toolwarden-demo-'));
	const path = join(dir, 'audit.jsonl');

	log(bold('\n== 1. enforce: the agent is governed =='));
	const enforced = new MemorySink();
	const { tools: enforcedTools, warden } = await session('enforce', log, enforced, new JsonlFileSink(path));
	log(dim(`   refunds actually paid: ${enforcedTools.refunds.map((r) => `$${r.amount}`).join(', ')}; .env never read`));

	log(bold('\n== 2. observe: the same script, shadow mode (nothing blocked) =='));
	const observed = new MemorySink();
	const { tools: observedTools } = await session('observe', log, observed, undefined);
	log(dim(`   refunds paid in observe mode: ${observedTools.refunds.map((r) => `$${r.amount}`).join(', ')}`));

	log(bold('\n== 3. the audit trail =='));
	for (const [name, sink] of [
		['enforce', enforced],
		['observe', observed],
	] as const) {
		const counts = new Map<string, number>();
		for (const event of sink.events) counts.set(event.action, (counts.get(event.action) ?? 0) + 1);
		log(`   ${name.padEnd(8)} ${[...counts].map(([action, n]) => `${action}=${n}`).join('  ')}`);
	}
	const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
	log(`   ${lines.length} events written to ${path}`);
	const write = lines
		.map((l) => JSON.parse(l) as AuditEvent)
		.find((e) => e.toolName === 'write_file' && e.action === AuditAction.CALL_EXECUTED);
	if (write !== undefined) {
		const {
			timestamp,
			sessionId,
			callId,
			toolName,
			toolArgs,
			sideEffect,
			action,
			contractsEvaluated,
			durationMs,
			executions,
		} = write;
		log(dim('   one event, as written (the GitHub token in the args is redacted):'));
		log(
			`   ${JSON.stringify({ timestamp, sessionId, callId, toolName, toolArgs, sideEffect, action, contractsEvaluated, durationMs, executions })}`,
		);
	}

	log(bold('\n== 4. the run report (enforce session) =='));
	for (const line of formatReport(await warden.report()).split('\n')) log(`   ${line}`);
}

runIfMain(import.meta.url, main);
