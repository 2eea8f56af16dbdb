import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { denySensitiveReads, Warden } from '../../src/index.js';
import { lexicalForms, realForm } from '../../src/contracts/builtins/pathForms.js';
import { governTools } from '../../src/adapters/ai-sdk/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tw-paths-'));
writeFileSync(join(dir, '.env'), 'API_KEY=sk-live-123\n');
writeFileSync(join(dir, 'README.md'), '# hi\n');
symlinkSync(join(dir, '.env'), join(dir, 'notes.txt'));
mkdirSync(join(dir, 'ssh'));
symlinkSync(join(dir, 'ssh'), join(dir, '.ssh-link'));
mkdirSync(join(dir, 'home', '.ssh'), { recursive: true });
symlinkSync(join(dir, 'home', '.ssh'), join(dir, 'keys'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const warden = new Warden({
	contracts: [denySensitiveReads()],
	limits: { maxToolCalls: Infinity, maxAttempts: Infinity },
});
const decide = async (tool: string, args: object) => {
	const call = await warden.begin(tool, args);
	if (call.allowed) await call.succeed(null);
	return call.allowed ? 'allow' : (call.decision.reason ?? 'deny');
};
const DENIED = /is not allowed: it holds credentials or secrets/;

describe('path forms', () => {
	it('normalises ~, $HOME, ./.., repeated and trailing slashes, backslashes and file://', () => {
		expect(lexicalForms('$HOME//.ssh/./id_rsa/')).toEqual([
			'~//.ssh/./id_rsa/',
			'~/.ssh/id_rsa',
			`${homedir()}/.ssh/id_rsa`,
		]);
		expect(lexicalForms('${HOME}/x')).toContain('~/x');
		expect(lexicalForms('/app/public/../.env')).toContain('/app/.env');
		expect(lexicalForms('file:///app/.env')).toContain('/app/.env');
		expect(lexicalForms('C:\\app\\.env')).toContain('C:/app/.env');
	});

	it('resolves symlinks of existing paths, and the parent of a path that does not exist yet', async () => {
		expect(await realForm(join(dir, 'notes.txt'))).toBe(join(dir, '.env'));
		expect(await realForm(join(dir, 'keys', 'authorized_keys'))).toBe(join(dir, 'home', '.ssh', 'authorized_keys'));
		expect(await realForm(join(dir, 'nowhere', 'x'))).toBeUndefined();
	});
});

describe('denySensitiveReads checks every path of every tool', () => {
	it.each([
		// The docs' AI SDK example: a tool of any name with a `path` arg.
		['readFile', { path: '/app/.env' }],
		['read_multiple_files', { paths: ['README.md', '/app/.env'] }],
		['read_media_file', { path: '/app/.env' }],
		['list_directory', { path: '~/.ssh' }],
		['open', { options: { target: { config_file: '/home/u/.aws/credentials' } } }],
		['cat', { files: ['a.txt', 'b.txt', '~/.netrc'] }],
		['read', { path: '/app/public/../.env' }],
		['read', { path: '/app//.env/' }],
		['read', { path: './.env' }],
		['read', { path: '$HOME/.ssh/id_ed25519' }],
		['read', { path: '${HOME}/.kube/config' }],
		['read', { path: `${homedir()}/.docker/config.json` }],
	])('%s %o is denied', async (tool, args) => {
		expect(await decide(tool, args)).toMatch(DENIED);
	});

	it('sees through a symlink to a secret file (notes.txt -> .env), and names the real path', async () => {
		const reason = await decide('read_text_file', { path: join(dir, 'notes.txt') });
		expect(reason).toMatch(DENIED);
		expect(reason).toContain(join(dir, '.env'));
		expect(await decide('Bash', { command: `cat ${join(dir, 'notes.txt')}` })).toMatch(DENIED);
	});

	it('resolves a relative path against the working directory', async () => {
		expect(await decide('read', { path: relative(process.cwd(), join(dir, 'notes.txt')) })).toMatch(DENIED);
	});

	it('sees through a symlinked directory, also for a file not created yet', async () => {
		expect(
			await decide('write_file', { path: join(dir, 'keys', 'authorized_keys'), content: 'ssh-ed25519 AAAA' }),
		).toMatch(DENIED);
	});

	it('registered fileArg names are checked (move_file source/destination)', async () => {
		const mv = new Warden({
			contracts: [denySensitiveReads()],
			tools: { move_file: { fileArg: ['source', 'destination'] } },
		});
		const call = await mv.begin('move_file', { source: '/app/.env', destination: '/tmp/notes.txt' });
		expect(call.allowed).toBe(false);
	});

	it.each([
		['read_file', { path: join(dir, 'README.md') }],
		['read', { path: join(dir, '.ssh-link', 'other') }],
		['read_multiple_files', { paths: ['README.md', 'src/env.ts'] }],
		['search', { query: 'what is in .env files' }],
		['Bash', { command: 'ls -la' }],
	])('%s %o is allowed', async (tool, args) => {
		expect(await decide(tool, args)).toBe('allow');
	});
});

describe("the docs' AI SDK example: readFile({ path: '/app/.env' }) with denySensitiveReads()", () => {
	it('is denied through a real generateText loop; README.md runs', async () => {
		const guarded = new Warden({ contracts: [denySensitiveReads()] });
		const read: string[] = [];
		const tools = governTools(guarded, {
			readFile: tool({
				description: 'Read a file',
				inputSchema: z.object({ path: z.string() }),
				execute: async ({ path }) => (read.push(path), `contents of ${path}`),
			}),
		});
		const usage = {
			inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
			outputTokens: { total: 1, text: 1, reasoning: 0 },
		};
		const step = (id: string, path: string) => ({
			content: [{ type: 'tool-call' as const, toolCallId: id, toolName: 'readFile', input: JSON.stringify({ path }) }],
			finishReason: { unified: 'tool-calls' as const, raw: undefined },
			usage,
			warnings: [],
		});
		const done = {
			content: [{ type: 'text' as const, text: 'ok' }],
			finishReason: { unified: 'stop' as const, raw: undefined },
			usage,
			warnings: [],
		};
		const model = new MockLanguageModelV3({ doGenerate: [step('c1', '/app/.env'), step('c2', 'README.md'), done] });
		await generateText({ model, tools, prompt: 'read', stopWhen: stepCountIs(5) });
		expect(read).toEqual(['README.md']);
		expect(JSON.stringify(model.doGenerateCalls[1]?.prompt)).toMatch(
			/\/app\/\.env.*is not allowed: it holds credentials/,
		);
	});
});
