import { transformSync as swcTransform } from '@swc/wasm';
import { transformSync as esbuildTransform } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as toolwarden from '../../src/index.js';
import { checkDecoratedBehaviour, type DecoratedFixture } from './shared.js';

// The same decorated source, compiled by each compiler in each decorator flavour, then executed against the library.
const SOURCE = `
import { precondition, sessionContract, tool, Verdict } from 'toolwarden';

export class Safety {
	@precondition('read_file')
	noDotEnv(call: any) {
		return String(call.args.path).endsWith('.env') ? Verdict.fail('Reading .env files is not allowed.') : Verdict.pass();
	}
	@sessionContract()
	fewReads(session: any) {
		return session.toolExecutions('read_file') < 2 ? Verdict.pass() : Verdict.fail('Read budget used up.');
	}
}
export class SubSafety extends Safety {
	@precondition('read_file', { name: 'custom-pem' })
	noPem(call: any) {
		return String(call.args.path).endsWith('.pem') ? Verdict.fail('No keys.') : Verdict.pass();
	}
	fewReads() { return Verdict.pass(); }
}
export class DevTools {
	writes: string[] = [];
	#calls = 0;
	@tool({ name: 'read_file', sideEffect: 'read' })
	async readFile(args: { path: string }) {
		this.writes.push(args.path);
		return 'contents of ' + args.path;
	}
	helper() { this.#calls++; return 'helper:' + this.#calls; }
}
export class AuditedTools {
	@tool()
	async write(args: { path: string }) { return 'wrote ' + args.path; }
	@precondition('write')
	insideWorkspace(call: any) {
		return String(call.args.path).startsWith('/') ? Verdict.fail('Write inside the workspace.') : Verdict.pass();
	}
}
`;

type Compile = (legacy: boolean) => string;

const compilers: Record<string, Compile> = {
	tsc: (legacy) =>
		ts.transpileModule(SOURCE, {
			compilerOptions: {
				target: ts.ScriptTarget.ES2022,
				module: ts.ModuleKind.CommonJS,
				experimentalDecorators: legacy,
				useDefineForClassFields: true,
			},
		}).outputText,
	esbuild: (legacy) =>
		esbuildTransform(SOURCE, {
			loader: 'ts',
			format: 'cjs',
			target: 'es2022',
			tsconfigRaw: { compilerOptions: { experimentalDecorators: legacy, useDefineForClassFields: true } },
		}).code,
	swc: (legacy) =>
		swcTransform(SOURCE, {
			jsc: {
				parser: { syntax: 'typescript', decorators: true },
				target: 'es2022',
				// @swc/wasm's .d.ts lags behind its options: decoratorVersion is honoured (see HELPERS) but not declared.
				transform: (legacy
					? { legacyDecorator: true, decoratorMetadata: false }
					: { decoratorVersion: '2022-03' }) as object,
			},
			module: { type: 'commonjs' },
		}).code,
};

function load(code: string): DecoratedFixture {
	const module = { exports: {} as Record<string, unknown> };
	const require = (id: string) => {
		if (id === 'toolwarden') return toolwarden;
		throw new Error(`unexpected require(${id})`);
	};
	new Function('require', 'module', 'exports', code)(require, module, module.exports);
	return module.exports as unknown as DecoratedFixture;
}

// The helper each compiler emits, so a test cannot pass by compiling the wrong flavour.
const HELPERS: Record<string, { legacy: RegExp; standard: RegExp }> = {
	tsc: { legacy: /__decorate\(/, standard: /__esDecorate/ },
	esbuild: { legacy: /__decorateClass/, standard: /__decorateElement/ },
	swc: { legacy: /_ts_decorate/, standard: /_apply_decs_2203/ },
};

describe.each(Object.keys(compilers))('decorators compiled by %s', (compiler) => {
	it.each([
		['legacy experimentalDecorators', true],
		['TC39 standard decorators', false],
	])('%s', async (_label, legacy) => {
		const code = (compilers[compiler] as Compile)(legacy);
		const helpers = HELPERS[compiler] as { legacy: RegExp; standard: RegExp };
		expect(code).toMatch(legacy ? helpers.legacy : helpers.standard);
		expect(code).not.toMatch(legacy ? helpers.standard : helpers.legacy);
		await checkDecoratedBehaviour(load(code));
	});
});
