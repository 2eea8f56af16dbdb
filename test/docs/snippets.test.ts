import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleText, sourceOf, typeCheck, type SnippetModule } from './compileSnippets.js';
import { extractSnippets, type Snippet } from './extractSnippets.js';
import { redisAvailable, RedisServer } from '../redis/redisServer.js';

// Every ```ts block of README.md and docs/**/*.md is compiled under strict settings and run, so the docs cannot rot.
// A failure names the Markdown file and line. See extractSnippets.ts for the (rare, visible) ways to opt out.
const root = resolve(import.meta.dirname, '../..');
const stubs = join(root, 'test/docs/stubs');

async function markdownFiles(): Promise<string[]> {
	const docs = await readdir(join(root, 'docs'), { recursive: true });
	return [
		'README.md',
		...docs
			.filter((f) => f.endsWith('.md'))
			.sort()
			.map((f) => join('docs', f)),
	];
}

const snippets: Snippet[] = [];
for (const file of await markdownFiles())
	snippets.push(...extractSnippets(file, await readFile(join(root, file), 'utf8')));

// A snippet that imports toolwarden/redis runs against a real redis-server (REDIS_URL), as the Redis tests do.
const needsRedis = (snippet: Snippet) => /['"]toolwarden\/redis['"]/.test(`${snippet.prelude}\n${snippet.code}`);
let redis: RedisServer | undefined;
let work: string;
const modules = new Map<Snippet, SnippetModule>();
let errors: Map<SnippetModule, string[]>;
const cwd = process.cwd();

beforeAll(async () => {
	// Outside the repository (so `tsc -p .` and eslint never see generated files), with the repository's packages.
	work = await mkdtemp(join(tmpdir(), 'tw-snippets-'));
	await symlink(join(root, 'node_modules'), join(work, 'node_modules'));
	await writeFile(join(work, 'package.json'), JSON.stringify({ type: 'module', private: true }));
	for (const snippet of snippets) {
		if (snippet.mode === 'skip') continue;
		const path = join(work, `${snippet.file.replace(/[/\\.]/g, '_')}_L${snippet.line}.ts`);
		const { text, preludeLines } = moduleText(snippet, path, stubs);
		await writeFile(path, text);
		modules.set(snippet, { snippet, path, preludeLines });
	}
	errors = typeCheck([...modules.values()], root);
	if (redisAvailable && snippets.some((s) => s.mode === 'run' && needsRedis(s))) {
		redis = await RedisServer.start();
		process.env['REDIS_URL'] = redis.url;
	}
}, 120_000);

afterAll(async () => {
	process.chdir(cwd);
	delete process.env['REDIS_URL'];
	await redis?.stop();
});

describe('doc snippets', () => {
	it('finds the snippets of every page, and few opt out', () => {
		expect(snippets.length).toBeGreaterThanOrEqual(15);
		const optedOut = snippets.filter((s) => s.mode !== 'run');
		expect(
			optedOut.length,
			optedOut.map((s) => `${s.file}:${s.line} ${s.mode}: ${s.reason ?? ''}`).join('\n'),
		).toBeLessThanOrEqual(snippets.length / 4);
	});

	describe.each(snippets.map((s) => [`${s.file}:${s.line}`, s] as const))('%s', (_where, snippet) => {
		it.skipIf(snippet.mode === 'skip')('compiles under strict', () => {
			const module = modules.get(snippet) as SnippetModule;
			expect(errors.get(module) ?? [], `snippet at ${snippet.file}:${snippet.line} does not compile`).toEqual([]);
		});

		it.runIf(snippet.mode === 'run' && (redisAvailable || !needsRedis(snippet)))(
			'runs',
			async () => {
				const module = modules.get(snippet) as SnippetModule;
				// Each snippet runs in a directory of its own: files it writes (audit.jsonl, logs/) stay there.
				const dir = join(work, `run_${relative(work, module.path).replace(/\.ts$/, '')}`);
				await mkdir(dir, { recursive: true });
				process.chdir(dir);
				try {
					await import(pathToFileURL(module.path).href);
				} catch (error) {
					throw new Error(`snippet at ${whereThrown(module, error)} threw: ${String(error)}`, { cause: error });
				} finally {
					process.chdir(cwd);
				}
			},
			30_000,
		);
	});
});

/** The Markdown line a snippet threw at, from the generated module's line in the stack, else the snippet's start. */
function whereThrown(module: SnippetModule, error: unknown): string {
	const stack = error instanceof Error ? (error.stack ?? '') : '';
	const name = module.path.split(/[/\\]/).pop() ?? '';
	const line = new RegExp(`${name.replace(/[.]/g, '\\.')}:(\\d+)`).exec(stack)?.[1];
	return line === undefined ? `${module.snippet.file}:${module.snippet.line}` : sourceOf(module, Number(line));
}
