import { describe, expect, it } from 'vitest';
import { main as aiSdk } from '../../examples/ai-sdk.js';
import { main as claudeAgentSdk } from '../../examples/claude-agent-sdk.js';
import { main as customContracts } from '../../examples/custom-contracts.js';
import { main as langchain } from '../../examples/langchain.js';
import { main as mcpServer } from '../../examples/mcp-server.js';
import { main as openaiAgents } from '../../examples/openai-agents.js';
import { main as customSink } from '../../examples/custom-sink.js';
import { main as decoratedTools } from '../../examples/decorated-tools.js';
import { main as demo } from '../../examples/demo.js';
import { main as shadowDeployment } from '../../examples/shadow-deployment.js';

// Every example runs here, so none of them can rot.
async function output(main: (log: (line: string) => void) => Promise<void>): Promise<string[]> {
	const lines: string[] = [];
	await main((line) => lines.push(line));
	return lines;
}

describe('examples', () => {
	it('decorated-tools: governed methods, a class-level contract, pass-through members', async () => {
		expect(await output(decoratedTools)).toEqual([
			'read_note → ship v1',
			'write_note → saved idea',
			'write_note denied by shortNotes: Notes are limited to 200 characters; summarise first.',
			'notes stored: 2',
			'audit: call_allowed, call_executed, call_allowed, call_executed, call_denied',
		]);
	});

	it('custom-contracts: decorator, function and session forms', async () => {
		const lines = await output(customContracts);
		expect(lines[0]).toBe('sent to ann@example.com');
		expect(lines[1]).toMatch(/^denied \(precondition\/internalRecipientsOnly\) eve@evil.test/);
		expect(lines[2]).toMatch(/^denied \(precondition\/noAttachmentsInProduction\)/);
		expect(lines[3]).toBe('sent to bounce@example.com');
		expect(lines[4]).toMatch(/^denied \(session_contract\/fewEmails\)/);
		expect(lines[5]).toBe('postcondition warnings: The email was accepted but not delivered; check the address.');
	});

	it('custom-sink: batches redacted events and ships them on close', async () => {
		const lines = await output(customSink);
		expect(lines[0]).toBe('shipped 4 events in 1 batch(es)');
		expect(lines.join('\n')).not.toMatch(/hunter2|abc\.def\.ghi123/);
		expect(lines[2]).toContain('postgres://svc:[REDACTED]@db.internal/app');
	});

	it('shadow-deployment: observe, tune, enforce', async () => {
		expect(await output(shadowDeployment)).toEqual([
			'observe, first draft: 5/5 ran, would deny 3 (noDestructiveSql ×3): DELETE FROM sessions WHERE expires_at < now() | DROP TABLE customers | DELETE FROM customers',
			'observe, tuned rule:  5/5 ran, would deny 2 (noDestructiveSql ×2): DROP TABLE customers | DELETE FROM customers',
			'enforce, tuned rule:  3/5 ran, denied 2 (noDestructiveSql ×2): DROP TABLE customers | DELETE FROM customers',
		]);
	});

	it('demo: allow, deny, observe and the audit trail, with no secret printed', async () => {
		const text = (await output(demo)).join('\n');
		expect(text).toContain('✗ denied   [precondition/noSecretFiles]');
		expect(text).toContain('✗ denied   [session_contract/writeBudget]');
		expect(text).toContain('⚠ would deny [precondition/refundCap] ran anyway: refunded $240');
		expect(text).toContain('refunds actually paid: $100; .env never read');
		expect(text).toContain('↺ replayed [behavior/sideEffectLedger] not run again: refunded $100 on A-1001');
		expect(text).toMatch(/enforce +call_allowed=5 +call_executed=5 +call_denied=4 +call_replayed=1/);
		expect(text).toMatch(/calls 10: executed 5 \(failed 0\), denied 4, replayed 1; efficiency 50%/);
		expect(text).toMatch(/side effects: executed 3, prevented 1/);
		expect(text).toMatch(/interventions: .*sideEffectLedger ×1/);
		expect(text).toContain('token=[REDACTED]');
		expect(text).not.toMatch(/ghp_abcdef|sk_live_51/);
	});

	it('ai-sdk: the model reads the denial and corrects itself', async () => {
		const lines = await output(aiSdk);
		expect(lines[0]).toMatch(/^tool refund → \{"denied":true,"reason":"Refunds over \$100 need a human/);
		expect(lines.slice(1)).toEqual([
			'tool refund → "refunded $100 on A-1"',
			'model: Refunded $100; escalated $140.',
			'audit: call_denied, call_allowed, call_executed',
		]);
	});

	it('langchain: a destructive command is denied, the agent adapts', async () => {
		const lines = await output(langchain);
		expect(lines[0]).toMatch(/^tool bash \[error\] → Recursive deletion of the root/);
		expect(lines.slice(1)).toEqual(['tool bash [success] → (ran) rm -rf build/', 'model: Cleaned the build folder.']);
	});

	it('openai-agents: a repeated email is replayed, not sent twice', async () => {
		expect(await output(openaiAgents)).toEqual([
			'emails actually sent: 1',
			'model: Ann has been told.',
			'replayed: 1, side effects prevented: 1',
		]);
	});

	it('mcp-server: a governed McpServer answers a denial with isError', async () => {
		const lines = await output(mcpServer);
		expect(lines[0]).toBe('read_file README.md → contents of README.md');
		expect(lines[1]).toMatch(/^read_file \/home\/ann\/\.ssh\/id_rsa → isError: Reading .* is not allowed/);
	});

	it('claude-agent-sdk: hooks allow a read and deny a compound command', async () => {
		const lines = await output(claudeAgentSdk);
		expect(lines[0]).toBe('Read allowed');
		expect(lines[1]).toMatch(/^Bash denied: /);
	});
});
