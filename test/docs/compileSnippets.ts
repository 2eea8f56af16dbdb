import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import type { Snippet } from './extractSnippets.js';

/** A snippet written out as a module, and how its lines map back to the Markdown. */
export interface SnippetModule {
	readonly snippet: Snippet;
	/** The generated `.ts` file. */
	readonly path: string;
	/** Lines of hidden prelude before the snippet's first line. */
	readonly preludeLines: number;
}

/** Where a generated line comes from: `docs/guards.md:71`, or the hidden prelude of the snippet at that line. */
export function sourceOf(module: SnippetModule, generatedLine: number): string {
	const { snippet, preludeLines } = module;
	if (generatedLine <= preludeLines) return `${snippet.file}:${snippet.line} (hidden prelude, line ${generatedLine})`;
	return `${snippet.file}:${snippet.line + generatedLine - preludeLines - 1}`;
}

/**
 * Modules a snippet may import that are not installed here; each maps to a stand-in under `test/docs/stubs/` that
 * plays the framework's side offline (a scripted model, no network, no key). `@snippets/x` is harness support code
 * that preludes import.
 */
export function stubFor(specifier: string, stubs: string): string | undefined {
	const known: Record<string, string> = {
		'@anthropic-ai/claude-agent-sdk': 'claude-agent-sdk.js',
		'@openai/agents': 'openai-agents.js',
		'@opentelemetry/sdk-node': 'opentelemetry-sdk-node.js',
	};
	if (specifier.startsWith('@snippets/')) return join(stubs, `${specifier.slice('@snippets/'.length)}.js`);
	const file = known[specifier];
	return file === undefined ? undefined : join(stubs, file);
}

/** The module text of a snippet: prelude, code, and `export {}` so it is a module even without imports. */
export function moduleText(snippet: Snippet, path: string, stubs: string): { text: string; preludeLines: number } {
	const rewrite = (code: string) =>
		code.replace(
			/(\bfrom\s+|\bimport\s*\(?\s*)(['"])([^'"]+)\2/g,
			(whole, lead: string, quote: string, specifier: string) => {
				const stub = stubFor(specifier, stubs);
				if (stub === undefined) return whole;
				const relativePath = relative(dirname(path), stub);
				return `${lead}${quote}${relativePath.startsWith('.') ? relativePath : `./${relativePath}`}${quote}`;
			},
		);
	const prelude = snippet.prelude === '' ? [] : rewrite(snippet.prelude).split('\n');
	return { text: [...prelude, rewrite(snippet.code), 'export {};', ''].join('\n'), preludeLines: prelude.length };
}

/**
 * The compiler options a new project gets from TypeScript 6's `tsc --init` (strict, exactOptionalPropertyTypes,
 * noUncheckedIndexedAccess, verbatimModuleSyntax, isolatedModules, TC39 decorators), with the fixes the docs tell
 * people to make (`target: es2022` so Node 20 runs the decorators, `types: ['node']`), and the package's own types.
 */
export function snippetCompilerOptions(root: string): ts.CompilerOptions {
	return {
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.NodeNext,
		moduleResolution: ts.ModuleResolutionKind.NodeNext,
		moduleDetection: ts.ModuleDetectionKind.Force,
		lib: ['lib.es2023.d.ts'],
		types: ['node'],
		typeRoots: [join(root, 'node_modules/@types')],
		strict: true,
		exactOptionalPropertyTypes: true,
		noUncheckedIndexedAccess: true,
		verbatimModuleSyntax: true,
		isolatedModules: true,
		skipLibCheck: true,
		noEmit: true,
		paths: {
			toolwarden: [join(root, 'src/index.ts')],
			'toolwarden/redis': [join(root, 'src/redis/index.ts')],
			'toolwarden/*': [join(root, 'src/adapters/*/index.ts')],
		},
	};
}

/** Type-checks every snippet module in one program; returns the errors per module as `file:line: TSxxxx message`. */
export function typeCheck(modules: readonly SnippetModule[], root: string): Map<SnippetModule, string[]> {
	const program = ts.createProgram(
		modules.map((m) => m.path),
		snippetCompilerOptions(root),
	);
	const byPath = new Map(modules.map((m) => [m.path, m]));
	const errors = new Map<SnippetModule, string[]>(modules.map((m) => [m, []]));
	for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
		const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
		const module = diagnostic.file === undefined ? undefined : byPath.get(diagnostic.file.fileName);
		if (module === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
			// Not in a snippet (a config problem): pin it on every module so it cannot go unnoticed.
			for (const list of errors.values()) list.push(`TS${diagnostic.code}: ${message}`);
			continue;
		}
		const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
		errors.get(module)?.push(`${sourceOf(module, line + 1)}: TS${diagnostic.code}: ${message}`);
	}
	return errors;
}
