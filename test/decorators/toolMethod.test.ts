import { transformSync as esbuildTransform } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as toolwarden from '../../src/index.js';

// Untyped on purpose: under tsx/esbuild nothing checks the method's type, which is how these mistakes slip through.
const SYNC_TOOL = `
import { tool } from 'toolwarden';
export class Calc {
	ran = 0;
	@tool({ sideEffect: 'pure' })
	add(args: any) { this.ran++; return args.a + args.b; }
	@tool({ sideEffect: 'pure' })
	async twice(args: any, options: any = {}) { return args.n * 2 + (options.extra ?? 0); }
}
`;
const TWO_PARAMS = `
import { tool } from 'toolwarden';
export class Calc {
	@tool()
	async add(a: number, b: number) { return a + b; }
}
`;

const compile: Record<string, (source: string, legacy: boolean) => string> = {
	tsc: (source, legacy) =>
		ts.transpileModule(source, {
			compilerOptions: {
				target: ts.ScriptTarget.ES2022,
				module: ts.ModuleKind.CommonJS,
				experimentalDecorators: legacy,
			},
		}).outputText,
	esbuild: (source, legacy) =>
		esbuildTransform(source, {
			loader: 'ts',
			format: 'cjs',
			target: 'es2022',
			tsconfigRaw: { compilerOptions: { experimentalDecorators: legacy } },
		}).code,
};

function load(code: string): Record<string, new () => object> {
	const module = { exports: {} as Record<string, new () => object> };
	const require = (id: string) => (id === 'toolwarden' ? toolwarden : undefined);
	new Function('require', 'module', 'exports', code)(require, module, module.exports);
	return module.exports;
}

describe.each(Object.keys(compile))('@tool method mistakes, compiled by %s', (compiler) => {
	describe.each([
		['legacy', true],
		['TC39', false],
	] as const)('%s decorators', (_flavour, legacy) => {
		const build = (source: string) => load((compile[compiler] as (s: string, l: boolean) => string)(source, legacy));

		it('given a method with a second parameter, decoration throws a clear ConfigError', () => {
			expect(() => build(TWO_PARAMS)).toThrow(toolwarden.ConfigError);
			expect(() => build(TWO_PARAMS)).toThrow(
				/@tool method "add" declares 2 parameters, but a governed method takes one plain-object argument/,
			);
		});

		it('given a sync method, the governed call rejects with a clear error instead of a silent promise', async () => {
			const { Calc } = build(SYNC_TOOL) as { Calc: new () => { ran: number; add(a: object): unknown } };
			const sink = new toolwarden.MemorySink();
			const instance = new Calc();
			const calc = new toolwarden.Warden({ audit: sink }).protect(instance);
			await expect(calc.add({ a: 1, b: 2 })).rejects.toThrow(
				/returned a plain value, not a promise.*declare the method async/,
			);
			// It did run: the audit trail says so rather than pretending it did not.
			expect(instance.ran).toBe(1);
			expect(sink.events.map((event) => event.action)).toEqual(['call_allowed', 'call_failed']);
		});

		it('given extra arguments at the call, the governed method rejects instead of dropping them', async () => {
			const { Calc } = build(SYNC_TOOL) as { Calc: new () => { twice(a: object, o?: object): Promise<number> } };
			const calc = new toolwarden.Warden().protect(new Calc());
			await expect(calc.twice({ n: 2 })).resolves.toBe(4);
			await expect(calc.twice({ n: 2 }, { extra: 1 })).rejects.toThrow(
				/called with 2 arguments; it takes one plain-object argument/,
			);
		});
	});
});
