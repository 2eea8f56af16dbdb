import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Checks the package as users get it: build, pack, install the tarball into a fresh ESM consumer, then type-check
// and run README's quickstart against it.
const root = resolve(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
let consumer: string;
let packed: string[];

beforeAll(async () => {
	const work = await mkdtemp(join(tmpdir(), 'tw-pack-'));
	// `npm pack` runs the prepack script, which builds dist/.
	const [info] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	) as Array<{ filename: string; files: Array<{ path: string }> }>;
	packed = (info?.files ?? []).map((f) => f.path);
	consumer = join(work, 'consumer');
	await mkdir(join(consumer, 'node_modules'), { recursive: true });
	// Unpacked in place, as npm installs it, so the package resolves its peer dependency from the consumer.
	execFileSync('tar', ['xzf', join(work, info?.filename ?? ''), '-C', join(consumer, 'node_modules')]);
	await rename(join(consumer, 'node_modules/package'), join(consumer, 'node_modules/toolwarden'));
	// What npm would install beside it: the package's dependencies and peer dependencies, plus @types/node.
	const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
		dependencies?: object;
		peerDependencies?: object;
	};
	for (const name of [
		...Object.keys(manifest.dependencies ?? {}),
		...Object.keys(manifest.peerDependencies ?? {}),
		'@types',
	]) {
		if (!existsSync(join(root, 'node_modules', name))) continue;
		await mkdir(dirname(join(consumer, 'node_modules', name)), { recursive: true });
		await symlink(join(root, 'node_modules', name), join(consumer, 'node_modules', name));
	}
	await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
	await writeFile(
		join(consumer, 'tsconfig.json'),
		JSON.stringify({
			compilerOptions: {
				target: 'ES2022',
				module: 'NodeNext',
				moduleResolution: 'NodeNext',
				strict: true,
				outDir: 'out',
				types: ['node'],
			},
		}),
	);
	const readme = await readFile(join(root, 'README.md'), 'utf8');
	const quickstart = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
	if (quickstart === undefined) throw new Error('README has no ts quickstart');
	await writeFile(join(consumer, 'quickstart.ts'), quickstart);
}, 120_000);

describe('the published package', () => {
	it('contains the build, the docs pages and the README, and nothing else', () => {
		expect(packed).toContain('dist/index.js');
		expect(packed).toContain('dist/index.d.ts');
		expect(packed).toContain('README.md');
		expect(packed).toContain('docs/contracts.md');
		expect(packed).toContain('docs/adapters/mcp.md');
		expect(packed).toContain('dist/adapters/mcp/cli.js');
		expect(packed).toContain('examples/demo.ts');
		expect(
			packed.every((p) =>
				/^(dist\/|src\/|examples\/|docs\/(adapters\/)?[^/]+\.md$|README\.md$|package\.json$)/.test(p),
			),
		).toBe(true);
	});

	it('ships every source its source maps point at, so a stack trace or go-to-definition lands on a real file', async () => {
		const maps = packed.filter((p) => p.endsWith('.map'));
		expect(maps.length).toBeGreaterThan(10);
		for (const map of maps) {
			const { sources } = JSON.parse(await readFile(join(consumer, 'node_modules/toolwarden', map), 'utf8')) as {
				sources: string[];
			};
			for (const source of sources) expect(packed, `${map} → ${source}`).toContain(join(dirname(map), source));
		}
	});

	it("README's quickstart type-checks against the package's types and runs", async () => {
		execFileSync(bin('tsc'), ['-p', '.'], { cwd: consumer });
		const out = execFileSync(process.execPath, ['out/quickstart.js'], { cwd: consumer, encoding: 'utf8' });
		expect(out).toContain('Reading .env files is not allowed.');
		const audit = (await readFile(join(consumer, 'audit.jsonl'), 'utf8')).trimEnd().split('\n');
		expect(audit.map((l) => (JSON.parse(l) as { action: string }).action)).toEqual([
			'call_allowed',
			'call_executed',
			'call_denied',
			'call_allowed',
			'call_executed',
		]);
		// A full tsc run over the consumer: about 5 s of CPU, far longer in wall time on a busy machine.
	}, 90_000);

	it("every subpath export resolves for an ESM consumer that installed the adapters' frameworks", async () => {
		// A consumer inside the repository: Node's resolution climbs to the frameworks installed here, as it would to a
		// user's own node_modules; toolwarden itself comes from the packed tarball.
		const inner = await mkdtemp(join(root, '.consumer-'));
		try {
			await mkdir(join(inner, 'node_modules'), { recursive: true });
			await symlink(join(consumer, 'node_modules/toolwarden'), join(inner, 'node_modules/toolwarden'));
			await writeFile(
				join(inner, 'package.json'),
				JSON.stringify({ name: 'inner-consumer', type: 'module', private: true }),
			);
			const script = `for (const s of ['toolwarden', 'toolwarden/extend', 'toolwarden/redis', 'toolwarden/ai-sdk', 'toolwarden/openai-agents', 'toolwarden/langchain', 'toolwarden/mcp', 'toolwarden/claude-agent-sdk']) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s); } console.log('ok');`;
			expect(
				execFileSync(process.execPath, ['--preserve-symlinks', '--input-type=module', '-e', script], {
					cwd: inner,
					encoding: 'utf8',
				}).trim(),
			).toBe('ok');
		} finally {
			await rm(inner, { recursive: true, force: true });
		}
	});
});
