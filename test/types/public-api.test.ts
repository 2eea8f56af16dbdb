import { describe, expectTypeOf, it } from 'vitest';
import {
	precondition,
	sessionContract,
	tool,
	Verdict,
	Warden,
	type Contract,
	type GovernedCall,
	type MethodDecorator,
	type PreDecision,
	type RunReport,
	type ToolEnvelope,
} from '../../src/index.js';
import { governTools } from '../../src/adapters/ai-sdk/index.js';

// Locks the public type inference: a change that breaks these breaks `npm test` (tsc runs first).
describe('public types', () => {
	it('run infers the tool result and hands fn the frozen args', () => {
		const warden = new Warden();
		const result = warden.run('search', { q: 'x', limit: 3 }, (args) => {
			expectTypeOf(args).toEqualTypeOf<Readonly<{ q: string; limit: number }>>();
			return Promise.resolve(['hit']);
		});
		expectTypeOf(result).toEqualTypeOf<Promise<string[]>>();
		expectTypeOf(warden.wrap('t', (a: { id: number }) => a.id)).toEqualTypeOf<
			(args: { id: number }) => Promise<number>
		>();
	});

	it('begin returns a GovernedCall whose envelope carries the args type', () => {
		const call = new Warden().begin('t', { id: 1 });
		expectTypeOf(call).toEqualTypeOf<Promise<GovernedCall<{ id: number }>>>();
		expectTypeOf<GovernedCall<{ id: number }>['envelope']>().toEqualTypeOf<ToolEnvelope<Readonly<{ id: number }>>>();
		expectTypeOf<PreDecision['action']>().toEqualTypeOf<'allow' | 'deny' | 'replay' | 'hold'>();
	});

	it('contract factories: the function form returns a Contract, the decorator form a MethodDecorator', () => {
		expectTypeOf(precondition('t', () => Verdict.pass())).toEqualTypeOf<Contract>();
		expectTypeOf(precondition('t')).toMatchTypeOf<
			MethodDecorator<(call: ToolEnvelope) => Verdict | Promise<Verdict>>
		>();
		expectTypeOf(sessionContract(() => Verdict.pass())).toEqualTypeOf<Contract>();
		expectTypeOf(tool({ name: 'x' })).toMatchTypeOf<MethodDecorator<(args: never) => Promise<unknown>>>();
	});

	it('protect keeps the instance type; report and governTools keep their shapes', () => {
		class Tools {
			@tool()
			async lookup(args: { id: number }): Promise<string> {
				return String(args.id);
			}
		}
		const view = new Warden().protect(new Tools());
		expectTypeOf(view.lookup).toEqualTypeOf<(args: { id: number }) => Promise<string>>();
		expectTypeOf(new Warden().report()).toEqualTypeOf<Promise<RunReport>>();
		const tools = { a: { execute: (input: { x: number }) => input.x } };
		expectTypeOf(governTools(new Warden(), tools)).toEqualTypeOf<typeof tools>();
	});
});
