/** Helpers of the gateway's end-to-end tests: start the real CLI, talk MCP to it, inspect /proc and the audit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { AuditEvent } from '../../../src/index.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const POLICY = 'test/integrations/gateway/policy.ts';
export const EVERYTHING = [
	process.execPath,
	'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
	'stdio',
];
export const FILESYSTEM = [process.execPath, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'];
export const FIXTURE = [process.execPath, '--import', 'tsx', 'test/integrations/gateway/upstream.ts'];
/** The CLI from source, as the package's bin runs it once built. */
export const CLI = [process.execPath, '--import', 'tsx', 'src/adapters/mcp/cli.ts'];

export async function auditPath(): Promise<string> {
	return join(await mkdtemp(join(tmpdir(), 'tw-gateway-')), 'audit.jsonl');
}

/** The environment of a gateway: the policy writes its audit to `audit`. */
export function gatewayEnv(audit: string, extra: Record<string, string> = {}): Record<string, string> {
	return { ...(process.env as Record<string, string>), TW_AUDIT_PATH: audit, ...extra };
}

/** An SDK client transport that runs `command` directly (no gateway), for the "same request sent directly" side. */
export function direct(
	command: readonly string[],
	env: Record<string, string> = process.env as Record<string, string>,
): StdioClientTransport {
	const [bin, ...args] = command as [string, ...string[]];
	return new StdioClientTransport({
		command: bin,
		args,
		cwd: ROOT,
		env,
		stderr: 'ignore',
		maxBufferSize: 64 * 1024 * 1024,
	});
}

/** An SDK client transport through the gateway CLI in front of `upstream`. */
export function throughGateway(
	upstream: readonly string[],
	audit: string,
	options: { separator?: boolean; env?: Record<string, string> } = {},
): StdioClientTransport {
	const [bin, ...args] = CLI as [string, ...string[]];
	const separator = options.separator === false ? [] : ['--'];
	return new StdioClientTransport({
		command: bin,
		args: [...args, '--policy', POLICY, ...separator, ...upstream],
		cwd: ROOT,
		env: gatewayEnv(audit, options.env),
		stderr: 'ignore',
		maxBufferSize: 64 * 1024 * 1024,
	});
}

/** The audit events written so far, waiting until there are at least `count` (events are written as calls happen). */
export async function auditEvents(path: string, count: number, timeoutMs = 5_000): Promise<AuditEvent[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = await readFile(path, 'utf8').catch(() => '');
		// A line being written has no newline yet: only complete lines are events.
		const events = text
			.slice(0, text.lastIndexOf('\n') + 1)
			.split('\n')
			.filter((l) => l.trim() !== '')
			.map((l) => JSON.parse(l) as AuditEvent);
		if (events.length >= count || Date.now() > deadline) return events;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** A gateway process started by hand: its pid, exit and stderr are the test's to watch. */
export interface GatewayProcess {
	readonly child: ChildProcess;
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
	stderr(): string;
	/** Sends a JSON-RPC message. */
	send(message: object): void;
	/** Resolves with the response to request `id`. */
	response(id: number): Promise<Record<string, unknown>>;
}

export function spawnGateway(argv: readonly string[], env: Record<string, string>): GatewayProcess {
	const [bin, ...args] = CLI as [string, ...string[]];
	const child = spawn(bin, [...args, ...argv], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
	let err = '';
	let out = '';
	const waiting = new Map<number, (message: Record<string, unknown>) => void>();
	const seen = new Map<number, Record<string, unknown>>();
	child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	child.stdout.on('data', (chunk: Buffer) => {
		out += chunk.toString();
		let newline = out.indexOf('\n');
		while (newline !== -1) {
			const message = JSON.parse(out.slice(0, newline)) as Record<string, unknown>;
			out = out.slice(newline + 1);
			newline = out.indexOf('\n');
			if (typeof message['id'] === 'number' && message['method'] === undefined) {
				seen.set(message['id'], message);
				waiting.get(message['id'])?.(message);
			}
		}
	});
	child.stdin.on('error', () => undefined);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
	);
	return {
		child,
		exited,
		stderr: () => err,
		send: (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`),
		response: (id) =>
			new Promise((resolve) =>
				seen.has(id) ? resolve(seen.get(id) as Record<string, unknown>) : waiting.set(id, resolve),
			),
	};
}

/** Initializes an MCP session by hand (initialize, then initialized). */
export async function initialize(gateway: GatewayProcess): Promise<Record<string, unknown>> {
	gateway.send({
		id: 0,
		method: 'initialize',
		params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
	});
	const response = await gateway.response(0);
	gateway.send({ method: 'notifications/initialized' });
	return response;
}

/** Whether a process is running (a zombie, dead but not yet reaped, does not count). */
export function alive(pid: number): boolean {
	if (!existsSync(`/proc/${pid}/stat`)) return false;
	const stat = readStat(pid);
	return stat !== null && stat.state !== 'Z';
}

function readStat(pid: number): { state: string; ppid: number; pgid: number } | null {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (2nd field) may contain spaces: fields after its closing paren are fixed.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { state: fields[0] as string, ppid: Number(fields[1]), pgid: Number(fields[2]) };
	} catch {
		return null;
	}
}

/** Live processes (not zombies) matching a predicate on their /proc stat. */
export function processes(match: (stat: { pid: number; ppid: number; pgid: number }) => boolean): number[] {
	const found: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = readStat(Number(entry));
		if (stat !== null && stat.state !== 'Z' && match({ pid: Number(entry), ...stat })) found.push(Number(entry));
	}
	return found;
}

/** The children of `pid`, waiting until there is at least one. */
export async function childrenOf(pid: number, timeoutMs = 10_000): Promise<number[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const children = processes((s) => s.ppid === pid);
		if (children.length > 0 || Date.now() > deadline) return children;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Processes of a process group (the upstream runs in a group of its own, led by its pid). */
export function group(pgid: number): number[] {
	return processes((s) => s.pgid === pgid);
}
