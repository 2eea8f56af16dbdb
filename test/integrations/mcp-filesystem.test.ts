import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denySensitiveReads, Warden } from '../../src/index.js';
import { sideEffectFromAnnotations } from '../../src/adapters/mcp/sideEffectFromAnnotations.js';

// The real @modelcontextprotocol/server-filesystem, spawned over stdio, with a secret, a harmless file and a symlink
// to the secret in its allowed directory: the tool shapes and results are the server's own.
const dir = mkdtempSync(join(tmpdir(), 'tw-fs-'));
const SECRET = 'API_KEY=sk-live-0123456789';
writeFileSync(join(dir, '.env'), `${SECRET}\n`);
writeFileSync(join(dir, 'README.md'), '# project\n');
symlinkSync(join(dir, '.env'), join(dir, 'notes.txt'));

let client: Client;
let annotations: Map<string, unknown>;
beforeAll(async () => {
	client = new Client({ name: 'tw-test', version: '1.0.0' });
	await client.connect(
		new StdioClientTransport({ command: 'node_modules/.bin/mcp-server-filesystem', args: [dir], stderr: 'ignore' }),
	);
	annotations = new Map((await client.listTools()).tools.map((t) => [t.name, t.annotations]));
}, 30_000);
afterAll(async () => {
	await client.close();
	rmSync(dir, { recursive: true, force: true });
});

const text = (result: unknown) => JSON.stringify(result);
const governed = (warden: Warden, name: string, args: Record<string, unknown>) =>
	warden.run(name, args, (frozen) => client.callTool({ name, arguments: frozen }));

const cases: Array<[string, Record<string, unknown>]> = [
	['read_file', { path: join(dir, '.env') }],
	['read_text_file', { path: join(dir, '.env'), head: 1 }],
	['read_media_file', { path: join(dir, '.env') }],
	['read_multiple_files', { paths: [join(dir, 'README.md'), join(dir, '.env')] }],
	['read_text_file', { path: join(dir, 'notes.txt') }],
	['get_file_info', { path: join(dir, 'notes.txt') }],
];

describe('denySensitiveReads against the real MCP filesystem server', () => {
	it.each(cases)('ungoverned, %s %o reveals the secret (the shape is live)', async (name, args) => {
		if (name === 'get_file_info') return expect(text(await client.callTool({ name, arguments: args }))).toMatch(/size/);
		expect(text(await client.callTool({ name, arguments: args }))).toMatch(
			name === 'read_media_file' ? /QVBJX0tFWT1z/ : /sk-live/,
		);
	});

	it.each(cases)('governed, %s %o is denied and never reaches the server', async (name, args) => {
		const warden = new Warden({ contracts: [denySensitiveReads()] });
		await expect(governed(warden, name, args)).rejects.toMatchObject({
			name: 'ToolCallDenied',
			rule: 'denySensitiveReads',
		});
	});

	it('lets harmless reads and listings through, with their real results', async () => {
		const warden = new Warden({ contracts: [denySensitiveReads()] });
		expect(text(await governed(warden, 'read_text_file', { path: join(dir, 'README.md') }))).toContain('# project');
		expect(text(await governed(warden, 'list_directory', { path: dir }))).toContain('README.md');
	});

	it('denies a listing of ~/.ssh, and sees move_file once fileArg declares source/destination', async () => {
		const warden = new Warden({
			contracts: [denySensitiveReads()],
			tools: { move_file: { fileArg: ['source', 'destination'] } },
		});
		await expect(governed(warden, 'list_directory', { path: '~/.ssh' })).rejects.toThrow(/credentials or secrets/);
		await expect(
			governed(warden, 'move_file', { source: join(dir, '.env'), destination: join(dir, 'x.txt') }),
		).rejects.toThrow(/\.env/);
	});

	it("the server's annotations map to side-effect classes", () => {
		expect(sideEffectFromAnnotations(annotations.get('read_text_file'))).toBe('read');
		expect(sideEffectFromAnnotations(annotations.get('create_directory'))).toBe('write');
		expect(sideEffectFromAnnotations(annotations.get('write_file'))).toBe('irreversible');
		expect(sideEffectFromAnnotations(annotations.get('move_file'))).toBe('irreversible');
		expect(sideEffectFromAnnotations(undefined)).toBe('irreversible');
	});
});
