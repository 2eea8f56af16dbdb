import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { vi } from 'vitest';
import { JsonlFileSink } from '../../src/index.js';
import { runCli } from '../../src/cli/runCli.js';
import policyV2 from './fixtures/policy-v2.js';
import { runTraffic, writeRotatedChainedLog } from './fixtures/traffic.js';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures');
export const ROOT = resolve(import.meta.dirname, '../..');

/** What one run of the CLI printed and returned. */
export interface CliRun {
	readonly code: number;
	readonly stdout: string;
	readonly stderr: string;
}

/** Runs the CLI in this process, as the binary does but with captured output. */
export async function cli(argv: readonly string[], cwd: string = ROOT): Promise<CliRun> {
	let stdout = '';
	let stderr = '';
	const io = {
		stdout: { write: (text: string) => (stdout += text) },
		stderr: { write: (text: string) => (stderr += text) },
		progress: false,
		cwd,
	};
	const code = await runCli(argv, io);
	return { code, stdout, stderr };
}

/** Runs `fn` with the clock at `iso`, so the events it writes carry that time. */
export async function at<T>(iso: string, fn: () => Promise<T>): Promise<T> {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(new Date(iso));
	try {
		return await fn();
	} finally {
		vi.useRealTimers();
	}
}

/** The logs the tests read, written by the real package. */
export interface Logs {
	readonly dir: string;
	/** Observe mode, policy v1, hash-chained, rotated every 4 KiB; written on 2026-03-01. */
	readonly observe: string;
	readonly observeSink: JsonlFileSink;
	/** Enforce mode, policy v2, a plain single file; written on 2026-03-02. */
	readonly enforce: string;
}

export async function writeLogs(): Promise<Logs> {
	const dir = await mkdtemp(join(tmpdir(), 'tw-cli-'));
	const observe = join(dir, 'observe', 'audit.jsonl');
	const enforce = join(dir, 'enforce', 'audit.jsonl');
	const observeSink = await at('2026-03-01T10:00:00.000Z', () => writeRotatedChainedLog(observe));
	await at('2026-03-02T10:00:00.000Z', () => runTraffic(new JsonlFileSink(enforce), policyV2));
	return { dir, observe, observeSink, enforce };
}
