/**
 * toolwarden-mcp's lifecycle: it exits within 2 s when its client goes away (stdin EOF, even after the client was
 * SIGKILLed) or on SIGINT/SIGTERM, with in-flight calls audited as failed and the upstream's whole process group
 * stopped; when the upstream dies or cannot start it says so on stderr and exits non-zero. /proc is the witness.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	alive,
	auditEvents,
	auditPath,
	CLI,
	FIXTURE,
	gatewayEnv,
	group,
	initialize,
	POLICY,
	ROOT,
	spawnGateway,
	type GatewayProcess,
} from './gateway/helpers.js';

const started: Array<ChildProcess | number> = [];
afterEach(() => {
	// Whatever a failed test left running: kill it (process groups first, then single processes).
	for (const entry of started.splice(0)) {
		const pid = typeof entry === 'number' ? entry : entry.pid;
		if (pid === undefined) continue;
		for (const target of [-pid, pid]) {
			try {
				process.kill(target, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	}
});

/** A gateway in front of the fixture server, which starts a child of its own and reports both pids. */
async function gatewayWithFamily(): Promise<{
	gateway: GatewayProcess;
	audit: string;
	upstream: number;
	grandchild: number;
}> {
	const audit = await auditPath();
	const pidsFile = join(dirname(audit), 'pids');
	const gateway = spawnGateway(['--policy', POLICY, '--', ...FIXTURE], gatewayEnv(audit, { TW_PIDS_FILE: pidsFile }));
	started.push(gateway.child);
	await initialize(gateway);
	const [upstream, grandchild] = (await readFile(pidsFile, 'utf8')).split(' ').map(Number) as [number, number];
	started.push(upstream, grandchild);
	expect(alive(upstream) && alive(grandchild)).toBe(true);
	return { gateway, audit, upstream, grandchild };
}

/** Waits until the test's condition holds or `ms` pass. */
async function eventually(condition: () => boolean, ms = 3_000): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
	return condition();
}

describe('toolwarden-mcp lifecycle', () => {
	it('exits 0 within 2 s on stdin EOF and stops the upstream and its children', async () => {
		const { gateway, upstream, grandchild } = await gatewayWithFamily();
		const since = Date.now();
		gateway.child.stdin?.end();
		const exit = await gateway.exited;
		expect(exit).toMatchObject({ code: 0, signal: null });
		expect(exit.at - since).toBeLessThan(2_000);
		expect(await eventually(() => !alive(upstream) && !alive(grandchild) && group(upstream).length === 0)).toBe(true);
		expect(gateway.stderr()).not.toContain('toolwarden-mcp:');
	}, 30_000);

	it.each(['SIGTERM', 'SIGINT'] as const)(
		'on %s: exits 0 within 2 s, audits the in-flight call as failed, leaves no process',
		async (signal) => {
			const { gateway, audit, upstream, grandchild } = await gatewayWithFamily();
			gateway.send({ id: 1, method: 'tools/call', params: { name: 'wait', arguments: {} } });
			expect((await auditEvents(audit, 1)).map((e) => e.action)).toEqual(['call_allowed']);
			const since = Date.now();
			gateway.child.kill(signal);
			const exit = await gateway.exited;
			expect(exit).toMatchObject({ code: 0, signal: null });
			expect(exit.at - since).toBeLessThan(2_000);
			const events = await auditEvents(audit, 2);
			expect(events.map((e) => [e.toolName, e.action])).toEqual([
				['wait', 'call_allowed'],
				['wait', 'call_failed'],
			]);
			expect(events[1]?.error).toEqual({
				type: 'ToolCallAbandoned',
				message: expect.stringContaining('did not complete'),
			});
			expect(await eventually(() => !alive(upstream) && !alive(grandchild))).toBe(true);
		},
		30_000,
	);

	it('leaves no orphan when its client is killed with SIGKILL', async () => {
		const audit = await auditPath();
		const pidsFile = join(dirname(audit), 'pids');
		// A client process that starts the gateway and holds its stdin, as Claude Desktop or Cursor does.
		const script = `const { spawn } = require('node:child_process');
			const g = spawn(process.argv[1], process.argv.slice(2), { stdio: ['pipe', 'ignore', 'ignore'] });
			const params = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } };
			g.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params }) + '\\n');
			console.log(g.pid); setInterval(() => {}, 1e9);`;
		const client = spawn(process.execPath, ['-e', script, ...CLI, '--policy', POLICY, '--', ...FIXTURE], {
			cwd: ROOT,
			env: gatewayEnv(audit, { TW_PIDS_FILE: pidsFile }),
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		started.push(client);
		const gatewayPid = Number(
			await new Promise<string>((resolve) => client.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))),
		);
		started.push(gatewayPid);
		expect(await eventually(() => (readPids(pidsFile)?.length ?? 0) === 2, 10_000)).toBe(true);
		const [upstream, grandchild] = readPids(pidsFile) as [number, number];
		started.push(upstream, grandchild);
		client.kill('SIGKILL');
		expect(await eventually(() => !alive(gatewayPid), 2_500)).toBe(true);
		expect(await eventually(() => !alive(upstream) && !alive(grandchild) && group(upstream).length === 0)).toBe(true);
	}, 30_000);

	it('says so on stderr and exits 1 when the upstream dies; the call it was running is audited as failed', async () => {
		const { gateway, audit, grandchild } = await gatewayWithFamily();
		gateway.send({ id: 1, method: 'tools/call', params: { name: 'die', arguments: {} } });
		const exit = await gateway.exited;
		expect(exit.code).toBe(1);
		expect(gateway.stderr()).toMatch(/toolwarden-mcp: the upstream server ".+" exited \(code 3\)/);
		const events = await auditEvents(audit, 2);
		expect(events.map((e) => [e.toolName, e.action])).toEqual([
			['die', 'call_allowed'],
			['die', 'call_failed'],
		]);
		// What the dead server had started is stopped with its group.
		expect(await eventually(() => !alive(grandchild))).toBe(true);
	}, 30_000);

	it('says so on stderr and exits 1 when the upstream cannot start', async () => {
		const gateway = spawnGateway(
			['--policy', POLICY, '--', '/nonexistent/mcp-server', '--flag'],
			gatewayEnv(await auditPath()),
		);
		started.push(gateway.child);
		const exit = await gateway.exited;
		expect(exit.code).toBe(1);
		expect(gateway.stderr()).toContain(
			'toolwarden-mcp: could not start the upstream server "/nonexistent/mcp-server": spawn /nonexistent/mcp-server ' +
				'ENOENT',
		);
	}, 30_000);

	it('exits 2 with the usage on a command-line mistake', async () => {
		const gateway = spawnGateway(['--polcy', POLICY, '--', ...FIXTURE], gatewayEnv(await auditPath()));
		started.push(gateway.child);
		expect((await gateway.exited).code).toBe(2);
		expect(gateway.stderr()).toContain('Unknown option --polcy');
		expect(gateway.stderr()).toContain('Usage: toolwarden-mcp');
	}, 30_000);
});

function readPids(path: string): number[] | undefined {
	try {
		const text = readFileSync(path, 'utf8');
		return text.split(' ').map(Number);
	} catch {
		return undefined;
	}
}
