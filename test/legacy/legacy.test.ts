import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import {
	ConfigError,
	precondition,
	sessionContract,
	tool,
	Verdict,
	type SessionView,
	type ToolEnvelope,
} from '../../src/index.js';
import { checkDecoratedBehaviour, envCheck } from '../decorators/shared.js';

// This file is compiled with legacy experimentalDecorators (test/legacy/tsconfig.json), with reflect-metadata loaded.
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

describe('legacy experimentalDecorators', () => {
	it('this file really compiles legacy: (target, key, descriptor)', () => {
		const seen: number[] = [];
		const probe = (...args: unknown[]) => {
			seen.push(args.length);
		};
		class Probe {
			@probe
			method() {}
		}
		expect(new Probe()).toBeDefined();
		expect(seen).toEqual([3]);
	});

	it('govern tool classes and contract classes', async () => {
		await checkDecoratedBehaviour({ Safety, DevTools, AuditedTools, SubSafety });
	});

	it('record metadata in reflect-metadata when it is loaded', () => {
		const reflect = Reflect as unknown as { getMetadata(key: string, target: object, property: string): unknown };
		expect(reflect.getMetadata('toolwarden:tool', DevTools.prototype, 'readFile')).toMatchObject({
			name: 'read_file',
			sideEffect: 'read',
		});
		expect(reflect.getMetadata('toolwarden:contract', Safety.prototype, 'noDotEnv')).toEqual([
			expect.objectContaining({ type: 'precondition', selector: 'read_file' }),
		]);
		expect(reflect.getMetadata('toolwarden:contract', Safety.prototype, 'fewReads')).toEqual([
			expect.objectContaining({ type: 'session_contract' }),
		]);
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

	it('reject @tool on a field and on a static method', () => {
		expect(() => {
			class Bad {
				// @ts-expect-error -- a field is not a method
				@tool() field = 1;
			}
			return Bad;
		}).toThrow(ConfigError);
		expect(() => {
			class Bad {
				@tool() static async run(_args: object) {}
			}
			return Bad;
		}).toThrow(/static/);
	});
});
