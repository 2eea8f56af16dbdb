/**
 * toolwarden-mcp in front of the real filesystem server, which takes its allowed directories from the client's
 * roots: the roots cross the gateway, results match the direct ones, and a `.env` read puts no secret in the audit.
 */
import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, auditPath, direct, FILESYSTEM, throughGateway } from './gateway/helpers.js';

const SECRET = 'hunter2-Zq8vX3pL9wT4';
let project = '';
const clients: Client[] = [];

beforeAll(async () => {
	project = await realpath(await mkdtemp(join(tmpdir(), 'tw-fs-project-')));
	await mkdir(join(project, 'src'));
	await writeFile(join(project, 'README.md'), '# demo\n');
	await writeFile(join(project, '.env'), `APP_NAME=demo\nDB_PASSWORD=${SECRET}\n`);
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});

/** A client whose only root is the project directory. */
async function connect(transport: Transport): Promise<Client> {
	const client = new Client({ name: 'e2e', version: '1.0.0' }, { capabilities: { roots: { listChanged: true } } });
	client.setRequestHandler(ListRootsRequestSchema, () => ({
		roots: [{ uri: pathToFileURL(project).href, name: 'project' }],
	}));
	clients.push(client);
	await client.connect(transport);
	// The server asks for the roots after initialized; give it the round trip.
	for (let i = 0; i < 100; i++) {
		const listed = await client.callTool({ name: 'list_allowed_directories', arguments: {} });
		if (JSON.stringify(listed).includes(project)) break;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return client;
}

async function session(client: Client): Promise<unknown[]> {
	return [
		(await client.listTools()).tools,
		await client.callTool({ name: 'list_allowed_directories', arguments: {} }),
		await client.callTool({ name: 'list_directory', arguments: { path: project } }),
		await client.callTool({ name: 'read_text_file', arguments: { path: join(project, 'README.md') } }),
		await client.callTool({ name: 'read_text_file', arguments: { path: '/etc/hostname' } }),
	];
}

describe('toolwarden-mcp in front of server-filesystem', () => {
	it("passes the client's roots to the server: every answer is the direct one", async () => {
		const directly = await session(await connect(direct(FILESYSTEM)));
		const gated = await session(await connect(throughGateway(FILESYSTEM, await auditPath())));
		expect(JSON.stringify(directly[1])).toContain(project);
		expect(gated).toEqual(directly);
	}, 60_000);

	it('audits a .env read without the secret it returned', async () => {
		const audit = await auditPath();
		const client = await connect(throughGateway(FILESYSTEM, audit));
		const before = (await auditEvents(audit, 0)).length;
		const result = await client.callTool({ name: 'read_text_file', arguments: { path: join(project, '.env') } });
		expect(JSON.stringify(result)).toContain(SECRET); // the client gets the file: governance did not deny it
		const events = (await auditEvents(audit, before + 2)).slice(before);
		expect(events.map((e) => [e.toolName, e.action])).toEqual([
			['read_text_file', 'call_allowed'],
			['read_text_file', 'call_executed'],
		]);
		expect(JSON.stringify(events)).not.toContain(SECRET);
		// The preview is kept, redacted in place: the file's other lines stay readable.
		expect(events[1]?.resultSummary).toContain('APP_NAME=demo\\nDB_PASSWORD=[REDACTED]');
	}, 60_000);
});
