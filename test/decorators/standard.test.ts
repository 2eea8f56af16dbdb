import { describe, expect, it } from 'vitest';
import {
	ConfigError,
	postcondition,
	precondition,
	sessionContract,
	tool,
	Verdict,
	Warden,
	type SessionView,
	type ToolEnvelope,
} from '../../src/index.js';
import { checkDecoratedBehaviour, envCheck } from './shared.js';

// This file is compiled with TC39 standard decorators (no experimentalDecorators in tsconfig.json).
class Safety {
	@precondition('read_file')
	noDotEnv(call: ToolEnvelope) {
		return envCheck(call);
	}

	@sessionContract()
	fewReads(session: SessionView) {
		return session.toolExecutions('read_file') < 2 ? Verdict.pass() : Verdict.fail('Read budget used up.');
	}
}

class SubSafety extends Safety {
	@precondition('read_file', { name: 'custom-pem' })
	noPem(call: ToolEnvelope) {
		return String(call.args['path']).endsWith('.pem') ? Verdict.fail('No keys.') : Verdict.pass();
	}

	override fewReads() {
		return Verdict.pass();
	}
}

class DevTools {
	readonly writes: string[] = [];
	#calls = 0;

	@tool({ name: 'read_file', sideEffect: 'read' })
	async readFile(args: { path: string }) {
		this.writes.push(args.path);
		return `contents of ${args.path}`;
	}

	helper() {
		this.#calls++;
		return `helper:${this.#calls}`;
	}
}

class AuditedTools {
	@tool()
	async write(args: { path: string }) {
		return `wrote ${args.path}`;
	}

	@precondition('write')
	insideWorkspace(call: ToolEnvelope) {
		return String(call.args['path']).startsWith('/') ? Verdict.fail('Write inside the workspace.') : Verdict.pass();
	}
}

describe('TC39 standard decorators', () => {
	it('this file really compiles TC39: (value, context)', () => {
		const seen: number[] = [];
		const probe = (...args: unknown[]) => {
			seen.push(args.length);
		};
		class Probe {
			@probe
			method() {}
		}
		expect(new Probe()).toBeDefined();
		expect(seen).toEqual([2]);
	});

	it('govern tool classes and contract classes', async () => {
		await checkDecoratedBehaviour({ Safety, DevTools, AuditedTools, SubSafety });
	});

	it('support @postcondition and bare @sessionContract / @tool', async () => {
		class Checks {
			@postcondition('*')
			nonEmpty(_call: ToolEnvelope, result: unknown) {
				return result === '' ? Verdict.fail('Empty result.') : Verdict.pass();
			}
			// @ts-expect-error -- bare form works at runtime; the typed API asks for @sessionContract()
			@sessionContract
			always() {
				return Verdict.pass();
			}
		}
		class Tools {
			// @ts-expect-error -- bare form works at runtime; the typed API asks for @tool()
			@tool
			async echo(args: { text: string }) {
				return args.text;
			}
		}
		const warden = new Warden({ contracts: [new Checks()] });
		const tools = warden.protect(new Tools());
		await expect(tools.echo({ text: 'hi' })).resolves.toBe('hi');
		const call = await warden.begin('echo', { text: '' });
		const post = await call.succeed('');
		expect(post.warnings).toEqual(['Empty result.']);
		expect(post.contracts.map((c) => c.name)).toEqual(['nonEmpty']);
	});

	it('require @tool methods to be async, so the protected view keeps its type', () => {
		class Tools {
			// @ts-expect-error -- a synchronous tool method: the governed view would return a promise
			@tool()
			sync(_args: { a: number }): number {
				return 1;
			}

			@tool()
			async fine(_args: { a: number }): Promise<number> {
				return 1;
			}
		}
		expect(typeof new Tools().fine).toBe('function');
	});

	it('reject @tool on a field, a static method or an accessor', () => {
		expect(() => {
			class Bad {
				// @ts-expect-error -- a field is not a method
				@tool() field = 1;
			}
			return new Bad();
		}).toThrow(ConfigError);
		expect(() => {
			class Bad {
				@tool() static async run(_args: object) {}
			}
			return Bad;
		}).toThrow(/public instance methods/);
		expect(() => {
			class Bad {
				// @ts-expect-error -- a getter is not a method
				@tool() get x() {
					return 1;
				}
			}
			return Bad;
		}).toThrow(/getter/);
	});

	it('validate decorator options at class definition', () => {
		expect(() => precondition('x', { mdoe: 'observe' } as never)).toThrow(/Unknown option "mdoe".*Did you mean "mode"/);
		expect(() => precondition('x', { mode: 'block' } as never)).toThrow(/mode must be one of 'enforce', 'observe'/);
		expect(() => precondition([] as never)).toThrow(/selector/);
		expect(() => tool({ sideEffect: 'dangerous' } as never)).toThrow(/sideEffect must be one of/);
	});

	it('a class without decorated contract methods is not a contract', () => {
		class Plain {
			check() {
				return Verdict.pass();
			}
		}
		expect(() => new Warden({ contracts: [new Plain()] })).toThrow(/no decorated contract methods/);
		expect(() => new Warden().protect(new Plain())).toThrow(/no @tool methods/);
	});
});
