import { execFile } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChainHasher, type ChainLink } from '../src/audit/chainLine.js';
import type { AuditEvent } from '../src/index.js';
import { lib } from './lib.js';

/**
 * Throughput and peak memory of the `toolwarden` CLI (issue #15) on a generated, hash-chained audit log of at least
 * 1 GB, rotated at 16 MiB like a production sink (`maxBytes`), plus the same events as one single file. Each command
 * runs as its own process (the built `dist/cli/main.js`) under `/usr/bin/time`, which reports its peak RSS.
 *
 *   npm run build && node --import tsx bench/cli.ts [--gb 1] [--dir D] [--keep] [--reuse] [--only report]
 *
 * Not part of `npm run bench` (it writes gigabytes); the log lives in /tmp and is deleted unless `--keep`.
 */
const exec = promisify(execFile);
const arg = (name: string, fallback: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
};
const GB = Number(arg('gb', '1'));
const DIR = arg('dir', '/tmp/tw-cli-bench');
// Rotated like a production sink; the single file beside the set shows that nothing depends on the file size.
const ROTATE_BYTES = 16 * 1024 * 1024;
const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');

/** Template events from a real observe-mode Warden: the scripted calls of one session. */
async function templates(): Promise<AuditEvent[]> {
	const { Warden, MemorySink } = lib;
	const sink = new MemorySink({ maxEvents: 1000 });
	const warden = new Warden({ mode: 'observe', audit: sink, ...(await policyOptions()) });
	const calls: Array<[string, Record<string, unknown>]> = [
		['read_file', { path: 'src/index.ts' }],
		['search', { q: 'refund policy for annual plans', limit: 10 }],
		['read_file', { path: '/app/.env' }],
		[
			'write_file',
			{ path: 'notes/summary.md', content: 'The customer asked for a refund of the annual plan. '.repeat(4) },
		],
		['http_request', { method: 'POST', url: 'https://api.example.com/v1/tickets', body: { subject: 'Refund' } }],
		['write_file', { path: '/secrets/token', content: 'x' }],
		['search', { q: 'refund policy annual plan exceptions', limit: 10 }],
		['write_file', { path: 'notes/next.md', content: 'Follow up in two days.' }],
	];
	for (const [tool, args] of calls) await warden.run(tool, args, () => ({ ok: true, items: [1, 2, 3] }));
	return sink.events.map((event) => ({ ...event }));
}

/** The rules the log was "recorded" under (observe): noDotEnv, noSecretsDir, fewWrites. */
const POLICY_SOURCE = (dist: string, variant: 'recorded' | 'revised') => `
import { precondition, sessionContract, Verdict } from '${dist}/index.js';
const fail = (bad, message) => (bad ? Verdict.fail(message) : Verdict.pass());
const noDotEnv = precondition('read_file', (c) => fail(String(c.args.path).endsWith('.env'), 'No .env reads.'), {
  name: 'noDotEnv',
});
const secret = (c) => String(c.args.path).startsWith('/secrets/');
const noSecretsDir = precondition('write_file', (c) => fail(secret(c), 'No /secrets/.'), { name: 'noSecretsDir' });
const maxWrites = ${variant === 'recorded' ? 2 : 3};
const fewWrites = sessionContract((s) => fail(s.toolExecutions('write_file') >= maxWrites, 'Write budget used up.'), {
  name: 'fewWrites',
  when: (c) => c.toolName === 'write_file',
});
export default {
  mode: '${variant === 'recorded' ? 'observe' : 'enforce'}',
  tools: { read_file: { sideEffect: 'read' }, search: { sideEffect: 'read' }, write_file: { sideEffect: 'write' } },
  contracts: [noDotEnv, noSecretsDir, fewWrites],
  limits: { maxCallsPerTool: { search: ${variant === 'recorded' ? 100 : 1} } },
};`;

async function policyOptions(): Promise<object> {
	await mkdir(DIR, { recursive: true });
	const path = join(DIR, 'policy-recorded.mjs');
	await writeFile(path, POLICY_SOURCE(DIST, 'recorded'));
	return ((await import(path)) as { default: object }).default;
}

interface Generated {
	readonly events: number;
	readonly sessions: number;
	readonly bytes: number;
}

/** Writes sessions of the template calls, hash-chained, rotating every 16 MiB; returns the event count. */
async function generate(base: string, targetBytes: number): Promise<Generated> {
	const { GENESIS_HASH } = lib;
	// The sink's own line format (JsonlFileSink with hashChain: true), so verify checks what a sink writes.
	const hasher = new ChainHasher();
	const events = await templates();
	const parts: string[] = [];
	let out: WriteStream | undefined;
	let fileBytes = 0;
	let bytes = 0;
	let seq = 0;
	let link: ChainLink = { seq: 0, hash: GENESIS_HASH };
	let sessions = 0;
	let clock = Date.parse('2026-03-01T00:00:00Z');
	const open = () => {
		parts.push(`${base}.part${String(parts.length).padStart(4, '0')}`);
		out = createWriteStream(parts.at(-1) as string);
		fileBytes = 0;
	};
	open();
	let batch = '';
	while (bytes < targetBytes) {
		sessions++;
		const sessionId = `session-${sessions}`;
		for (const template of events) {
			clock += 37;
			seq++;
			const timestamp = new Date(clock).toISOString();
			const event = { ...template, sessionId, callId: `${sessionId}-${template.callIndex}`, timestamp };
			const chained = hasher.line(link, JSON.stringify(event).slice(1, -1));
			link = chained.link;
			const line = chained.line;
			const size = Buffer.byteLength(line);
			if (fileBytes + size > ROTATE_BYTES) {
				await flush(out as WriteStream, batch);
				batch = '';
				await new Promise((resolve) => (out as WriteStream).end(resolve));
				open();
			}
			batch += line;
			fileBytes += size;
			bytes += size;
			if (batch.length > 1 << 20) {
				await flush(out as WriteStream, batch);
				batch = '';
			}
		}
	}
	await flush(out as WriteStream, batch);
	await new Promise((resolve) => (out as WriteStream).end(resolve));
	// Rotated names: the newest part is the live file, older ones .1, .2, ... as JsonlFileSink leaves them.
	const last = parts.length - 1;
	for (const [i, part] of parts.entries()) await rename(part, i === last ? base : `${base}.${last - i}`);
	return { events: seq, sessions, bytes };
}

function flush(out: WriteStream, text: string): Promise<void> {
	return new Promise((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
}

/** What one run of the CLI cost. */
interface Cost {
	readonly wall: number;
	/** User + system CPU seconds: on a shared machine, the figure that does not depend on the neighbours. */
	readonly cpu: number;
	readonly rssMb: number;
	readonly code: number;
	readonly stdout: string;
}

/** Runs the CLI under /usr/bin/time: wall and CPU seconds, peak RSS (MB), exit code. */
async function measure(args: string[]): Promise<Cost> {
	const command = [process.execPath, join(DIST, 'cli/main.js'), ...args];
	const run = await exec('/usr/bin/time', ['-f', '%e %U %S %M', ...command], { maxBuffer: 64 << 20 }).then(
		(r) => ({ ...r, code: 0 }),
		(e: { stdout: string; stderr: string; code: number }) => e,
	);
	const [wall = 0, user = 0, sys = 0, kb = 0] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
	return { wall, cpu: user + sys, rssMb: Math.round(kb / 1024), code: run.code, stdout: run.stdout };
}

const base = join(DIR, 'set', 'audit.jsonl');
const single = join(DIR, 'single.jsonl');
const meta = join(DIR, 'generated.json');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
let generated: Generated;
if (process.argv.includes('--reuse') && (await stat(meta).catch(() => undefined)) !== undefined) {
	generated = JSON.parse(await readFile(meta, 'utf8')) as typeof generated;
} else {
	await rm(DIR, { recursive: true, force: true });
	await mkdir(join(DIR, 'set'), { recursive: true });
	const start = performance.now();
	generated = await generate(base, GB * 1024 ** 3);
	const seconds = (performance.now() - start) / 1000;
	console.log(`generated in ${seconds.toFixed(0)} s`);
	await exec('sh', ['-c', `cat $(ls -1 ${base}.* | sort -t. -k3 -nr) ${base} > ${single}`]);
	await writeFile(meta, JSON.stringify(generated));
}
const gib = (generated.bytes / 1024 ** 3).toFixed(2);
console.log(
	`log: ${fmt(generated.events)} events, ${fmt(generated.sessions)} sessions, ${gib} GiB (a set and one file)`,
);
await writeFile(join(DIR, 'policy-revised.mjs'), POLICY_SOURCE(DIST, 'revised'));

const rows: Array<[string, string[]]> = [
	['report --json (rotated set)', ['report', base, '--json']],
	['report --json (one 1 GB file)', ['report', single, '--json']],
	['report --html', ['report', base, '--html', join(DIR, 'report.html')]],
	['replay --policy (revised)', ['replay', base, '--policy', join(DIR, 'policy-revised.mjs'), '--json']],
	['verify (rotated set, 16 MiB files)', ['verify', base, '--json']],
	['verify (one 1 GB file)', ['verify', single, '--json']],
];
const only = arg('only', '');
for (const [name, args] of rows) {
	if (only !== '' && !name.startsWith(only)) continue;
	const cost = await measure(args);
	const rates = `${fmt(generated.events / cost.cpu)} events/s of CPU (${fmt(generated.events / cost.wall)} of wall)`;
	const times = `${cost.cpu.toFixed(1)} s CPU, ${cost.wall.toFixed(1)} s wall`;
	console.log(`${name}: ${rates}; ${times}; peak RSS ${cost.rssMb} MB; exit ${cost.code}`);
}
if (!process.argv.includes('--keep')) await rm(DIR, { recursive: true, force: true });
