import { expect } from 'vitest';
import { MemorySink, ToolCallDenied, Verdict, Warden, type ToolEnvelope } from '../../src/index.js';

/**
 * One behavioural check for decorated classes, shared by the legacy and TC39 test files so both flavours are held to
 * exactly the same specification.
 */
export interface DecoratedFixture {
	Safety: new () => object;
	DevTools: new () => { readFile(args: { path: string }): Promise<string>; helper(): string; writes: string[] };
	AuditedTools: new () => { write(args: { path: string }): Promise<string> };
	SubSafety: new () => object;
}

export async function checkDecoratedBehaviour(fixture: DecoratedFixture): Promise<void> {
	const sink = new MemorySink();
	const warden = new Warden({ contracts: [new fixture.Safety()], audit: sink });
	const tools = warden.protect(new fixture.DevTools());

	await expect(tools.readFile({ path: 'README.md' })).resolves.toBe('contents of README.md');
	const denied = await tools.readFile({ path: '/app/.env' }).catch((e: unknown) => e);
	expect(denied).toBeInstanceOf(ToolCallDenied);
	expect((denied as ToolCallDenied).rule).toBe('noDotEnv');
	expect((denied as ToolCallDenied).source).toBe('precondition');
	expect((denied as ToolCallDenied).reason).toMatch(/\.env files is not allowed/);
	// The tool never ran for the denied call.
	expect(tools.writes).toEqual(['README.md']);
	// Non-tool members pass through, bound to the instance (private fields work).
	expect(tools.helper()).toBe('helper:1');
	// The session contract (method name as rule name) sees the counters.
	await tools.readFile({ path: 'b' });
	const third = await tools.readFile({ path: 'c' }).catch((e: unknown) => e);
	expect((third as ToolCallDenied).rule).toBe('fewReads');
	expect((third as ToolCallDenied).source).toBe('session_contract');
	// The @tool spec feeds the side-effect registry.
	expect(sink.events[0]?.sideEffect).toBe('read');

	// Contracts declared on the tool class itself are registered by protect().
	const w2 = new Warden();
	const audited = w2.protect(new fixture.AuditedTools());
	await expect(audited.write({ path: 'ok.txt' })).resolves.toBe('wrote ok.txt');
	await expect(audited.write({ path: '/etc/passwd' })).rejects.toMatchObject({ rule: 'insideWorkspace' });

	// Subclasses inherit decorated methods (and add their own).
	const w3 = new Warden({ contracts: [new fixture.SubSafety()] });
	const t3 = w3.protect(new fixture.DevTools());
	await expect(t3.readFile({ path: 'x.env' })).rejects.toMatchObject({ rule: 'noDotEnv' });
	await expect(t3.readFile({ path: 'secret.pem' })).rejects.toMatchObject({ rule: 'custom-pem' });
	// An undecorated override keeps the base declaration's rule and runs the override: the base fewReads would deny
	// the third read, SubSafety's override lets it through.
	for (const path of ['a', 'b', 'c']) await expect(t3.readFile({ path })).resolves.toBe(`contents of ${path}`);
	const records = (await w3.begin('read_file', { path: 'd' })).decision.contracts.map((c) => [c.name, c.passed]);
	expect(records).toContainEqual(['fewReads', true]);
}

export function envCheck(call: ToolEnvelope): Verdict {
	return String(call.args['path']).endsWith('.env')
		? Verdict.fail('Reading .env files is not allowed. Ask the user for the specific value you need.')
		: Verdict.pass();
}
