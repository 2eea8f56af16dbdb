import { describe, expect, it } from 'vitest';
import { createEnvelope, InvalidArgs } from '../../src/index.js';

describe('createEnvelope', () => {
	it('deep-copies args: changing the caller object afterwards changes nothing', () => {
		const args = { path: 'a.txt', opts: { flags: ['r'] } };
		const call = createEnvelope('read_file', args);
		args.path = 'b.txt';
		args.opts.flags.push('w');
		expect(call.args).toEqual({ path: 'a.txt', opts: { flags: ['r'] } });
	});

	it('deep-freezes the envelope: mutation throws in strict mode', () => {
		const call = createEnvelope('read_file', { path: 'a', nested: { list: [1] } });
		expect(() => {
			(call.args as { path: string }).path = 'x';
		}).toThrow(TypeError);
		expect(() => {
			(call.args as unknown as { nested: { list: number[] } }).nested.list.push(2);
		}).toThrow(TypeError);
		expect(() => {
			(call as { toolName: string }).toolName = 'rm';
		}).toThrow(TypeError);
		expect(Object.isFrozen(call.metadata)).toBe(true);
	});

	it('fills the documented fields and defaults', () => {
		const call = createEnvelope(
			'search',
			{ q: 'x' },
			{
				sessionId: 's1',
				callId: 'c1',
				parentCallId: 'p1',
				principal: { userId: 'u1', claims: { tier: 'gold' } },
				metadata: { trace: 't' },
			},
		);
		expect(call).toMatchObject({
			toolName: 'search',
			callId: 'c1',
			sessionId: 's1',
			parentCallId: 'p1',
			sideEffect: 'irreversible',
			idempotent: false,
			environment: 'production',
			bashCommand: null,
			filePath: null,
		});
		expect(call.principal).toEqual({ userId: 'u1', claims: { tier: 'gold' } });
		expect(Object.isFrozen(call.principal?.claims)).toBe(true);
		expect(new Date(call.timestamp).toISOString()).toBe(call.timestamp);
		expect(createEnvelope('x', {}).callId).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('takes side effects from the registry, irreversible otherwise', () => {
		expect(createEnvelope('lookup', {}, { tools: { lookup: { sideEffect: 'read', idempotent: true } } })).toMatchObject(
			{ sideEffect: 'read', idempotent: true },
		);
		expect(createEnvelope('unknown', {}).sideEffect).toBe('irreversible');
	});

	it('classifies shell tools by their command, unless the registry is more restrictive', () => {
		expect(createEnvelope('Bash', { command: 'ls -la' })).toMatchObject({ sideEffect: 'read', bashCommand: 'ls -la' });
		expect(createEnvelope('bash', { command: 'rm -rf x' }).sideEffect).toBe('irreversible');
		expect(createEnvelope('run', { command: 'cat a' }, { tools: { run: { shell: true } } }).sideEffect).toBe('read');
		expect(
			createEnvelope('run', { command: 'cat a' }, { tools: { run: { shell: true, sideEffect: 'write' } } }).sideEffect,
		).toBe('write');
		// A registry entry less restrictive than the command does not downgrade it.
		expect(createEnvelope('shell', { command: 'rm x' }, { tools: { shell: { sideEffect: 'read' } } }).sideEffect).toBe(
			'irreversible',
		);
		expect(createEnvelope('Bash', { command: 42 }).sideEffect).toBe('irreversible');
	});

	it('extracts filePath (the first of filePaths) for any tool and registered fileArg', () => {
		expect(createEnvelope('Read', { file_path: '/a/b' }).filePath).toBe('/a/b');
		expect(createEnvelope('write_file', { path: 'x.txt', content: '' }).filePath).toBe('x.txt');
		expect(createEnvelope('Edit', { filePath: 'y' }).filePath).toBe('y');
		expect(createEnvelope('upload', { source: 's.bin' }, { tools: { upload: { fileArg: 'source' } } }).filePath).toBe(
			's.bin',
		);
		expect(createEnvelope('readFile', { path: '/app/.env' }).filePath).toBe('/app/.env');
		expect(createEnvelope('search', { query: 'no paths here' }).filePath).toBeNull();
	});

	describe('exotic args (each outcome is documented on createEnvelope)', () => {
		const rejects = (args: object, problem: RegExp) => {
			let caught: unknown;
			try {
				createEnvelope('t', args);
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(InvalidArgs);
			expect((caught as InvalidArgs).message).toMatch(problem);
		};

		it('rejects cycles', () => {
			const a: Record<string, unknown> = { x: 1 };
			a['self'] = a;
			rejects(a, /circular/);
		});

		it('copies shared (non-cyclic) references as separate trees', () => {
			const shared = { v: 1 };
			const call = createEnvelope('t', { a: shared, b: shared });
			expect(call.args).toEqual({ a: { v: 1 }, b: { v: 1 } });
		});

		it('keeps bigint, NaN, Infinity and undefined as they are', () => {
			const call = createEnvelope('t', { big: 10n ** 20n, nan: NaN, inf: -Infinity, u: undefined });
			expect(call.args).toEqual({ big: 100000000000000000000n, nan: NaN, inf: -Infinity, u: undefined });
		});

		it('turns a Date into its ISO string and rejects an invalid one', () => {
			expect(createEnvelope('t', { at: new Date('2026-01-02T03:04:05Z') }).args).toEqual({
				at: '2026-01-02T03:04:05.000Z',
			});
			rejects({ at: new Date('nope') }, /invalid Date/);
		});

		it('rejects Map, Set, typed arrays, class instances, functions and symbols with a hint', () => {
			rejects({ m: new Map() }, /Map/);
			rejects({ s: new Set() }, /Set/);
			rejects({ b: new Uint8Array(4) }, /base64/);
			rejects({ b: Buffer.from('x') }, /base64/);
			rejects({ u: new URL('https://example.com') }, /instance of URL/);
			rejects({ f: () => 1 }, /functions/);
			rejects({ s: Symbol('x') }, /symbols/);
		});

		it('rejects symbol keys', () => {
			rejects({ [Symbol('k')]: 1, a: 1 }, /symbol keys/);
		});

		it('reads getters once and rejects one that throws, naming the path', () => {
			let reads = 0;
			const ok = {
				get v() {
					reads++;
					return 5;
				},
			};
			expect(createEnvelope('t', ok).args).toEqual({ v: 5 });
			expect(reads).toBe(1);
			rejects(
				{
					inner: {
						get boom(): never {
							throw new Error('secret');
						},
					},
				},
				/\$\.inner\.boom/,
			);
		});

		it('keeps an own __proto__ key as data and never changes the prototype', () => {
			const args = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
			const call = createEnvelope('t', args);
			expect(Object.getPrototypeOf(call.args)).toBe(Object.prototype);
			expect(Object.keys(call.args)).toEqual(['__proto__', 'a']);
			expect((call.args as Record<string, unknown>)['polluted']).toBeUndefined();
			expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
		});

		it('copies null-prototype objects', () => {
			const args = Object.assign(Object.create(null) as object, { a: 1 });
			expect(createEnvelope('t', args).args).toEqual({ a: 1 });
		});

		it('rejects nesting deeper than 64 levels instead of overflowing the stack', () => {
			let deep: Record<string, unknown> = {};
			const root = deep;
			for (let i = 0; i < 10_000; i++) deep = deep['n'] = {};
			rejects(root, /deeper than 64/);
		});

		it('rejects a Proxy whose traps throw', () => {
			const proxy = new Proxy(
				{},
				{
					ownKeys: () => {
						throw new Error('trap');
					},
				},
			);
			rejects({ p: proxy }, /threw/);
		});

		it('keeps a 10 MB string without copying it', () => {
			const big = 'x'.repeat(10 * 1024 * 1024);
			const call = createEnvelope('t', { big });
			expect((call.args as { big: string }).big.length).toBe(big.length);
		});

		it('rejects non-object args and an empty tool name', () => {
			expect(() => createEnvelope('t', null as unknown as object)).toThrow(/plain object, got null/);
			expect(() => createEnvelope('t', 'str' as unknown as object)).toThrow(/got string/);
			expect(() => createEnvelope('t', [1])).toThrow(/got an array/);
			expect(() => createEnvelope('', {})).toThrow(InvalidArgs);
		});
	});
});
