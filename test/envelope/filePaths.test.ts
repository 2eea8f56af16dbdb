import { describe, expect, it } from 'vitest';
import { createEnvelope, Warden } from '../../src/index.js';
import { isPathArgName } from '../../src/envelope/filePaths.js';

const pathsOf = (args: object, fileArg?: string | string[]) =>
	createEnvelope('any_tool', args, fileArg === undefined ? {} : { tools: { any_tool: { fileArg } } }).filePaths;

describe('ToolEnvelope.filePaths (API §3)', () => {
	it.each([
		'path',
		'paths',
		'file',
		'files',
		'file_path',
		'filePath',
		'filename',
		'fileName',
		'dir',
		'directory',
		'source_path',
		'sourcePath',
		'input_paths',
		'inputPaths',
		'config_file',
		'configFile',
		'output_dir',
		'outDir',
	])('an arg named %s holds paths', (name) => {
		expect(isPathArgName(name)).toBe(true);
		expect(pathsOf({ [name]: '/data/x' })).toEqual(['/data/x']);
	});

	it.each(['query', 'content', 'pattern', 'profile', 'directions', 'filepath', 'paths_count', 'dirty', 'source'])(
		'an arg named %s does not',
		(name) => {
			expect(isPathArgName(name)).toBe(false);
			expect(pathsOf({ [name]: '/data/x' })).toEqual([]);
		},
	);

	it('takes every string of an array, at any depth, in order, without duplicates', () => {
		const call = createEnvelope('read_multiple_files', {
			paths: ['a.txt', '/app/.env', 'a.txt'],
			options: { backup: { target_dir: '/var/bak' }, edits: [{ path: 'b.txt' }, { path: 'c.txt' }] },
		});
		expect(call.filePaths).toEqual(['a.txt', '/app/.env', '/var/bak', 'b.txt', 'c.txt']);
		expect(call.filePath).toBe('a.txt');
		expect(Object.isFrozen(call.filePaths)).toBe(true);
	});

	it('ignores what is not a non-empty string (numbers, booleans, empty strings, objects under a path name)', () => {
		expect(pathsOf({ path: 42, files: [1, '', null, 'ok.txt'], dir: true, file: '' })).toEqual(['ok.txt']);
		// An object under a path-named key is walked by name, not taken as a path.
		expect(pathsOf({ file: { path: 'inner.txt', label: 'x' } })).toEqual(['inner.txt']);
	});

	it('puts fileArg (a name or an array of names) first, as strings or arrays', () => {
		expect(pathsOf({ path: 'b', source: 'a' }, 'source')).toEqual(['a', 'b']);
		expect(pathsOf({ source: '/app/.env', destination: ['/tmp/x', '/tmp/y'] }, ['source', 'destination'])).toEqual([
			'/app/.env',
			'/tmp/x',
			'/tmp/y',
		]);
	});

	it('is empty (and filePath null) for a call that names no path', () => {
		const call = createEnvelope('web_search', { query: 'refund policy', limit: 5 });
		expect(call.filePaths).toEqual([]);
		expect(call.filePath).toBeNull();
	});

	it('WardenOptions.tools accepts fileArg as a string or an array, and rejects anything else', () => {
		expect(() => new Warden({ tools: { mv: { fileArg: ['source', 'destination'] } } })).not.toThrow();
		expect(() => new Warden({ tools: { mv: { fileArg: [] } } })).toThrow(
			/fileArg must be an arg name or a non-empty array/,
		);
		expect(() => new Warden({ tools: { mv: { fileArg: ['a', 3] as never } } })).toThrow(/fileArg/);
		expect(() => new Warden({ tools: { mv: { fileArg: '' } } })).toThrow(/fileArg/);
	});

	it('is what the Warden gives contracts, with the registry fileArg', async () => {
		const warden = new Warden({ tools: { mv: { fileArg: ['source', 'destination'] } } });
		const call = await warden.begin('mv', { source: 's', destination: 'd' });
		expect(call.envelope.filePaths).toEqual(['s', 'd']);
		await call.succeed(null);
	});
});
