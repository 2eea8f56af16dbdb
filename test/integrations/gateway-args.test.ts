/** toolwarden-mcp's command line: the forms a config, a shell and the MCP Inspector CLI pass. */
import { describe, expect, it } from 'vitest';
import { parseArgs, parseHeaders, UsageError } from '../../src/adapters/mcp/gateway/parseArgs.js';

describe('toolwarden-mcp arguments', () => {
	it('takes the upstream command after `--`, everything after it included', () => {
		expect(parseArgs(['--policy', 'p.mjs', '--', 'npx', '-y', 'server', '--policy', 'theirs'])).toEqual({
			policy: 'p.mjs',
			command: ['npx', '-y', 'server', '--policy', 'theirs'],
			headers: [],
		});
	});

	it('takes the upstream command from the first non-option argument (the Inspector CLI swallows `--`)', () => {
		// `npx @modelcontextprotocol/inspector --cli node cli.js --policy p.mjs node server.js --method tools/list`
		// runs the gateway as below (the Inspector keeps --method for itself).
		expect(parseArgs(['--policy', 'p.mjs', 'node', 'server.js', '--root', '/tmp'])).toEqual({
			policy: 'p.mjs',
			command: ['node', 'server.js', '--root', '/tmp'],
			headers: [],
		});
		expect(parseArgs(['--policy=p.mjs', 'server'])).toEqual({ policy: 'p.mjs', command: ['server'], headers: [] });
	});

	it('takes a URL upstream with headers', () => {
		expect(parseArgs(['--policy', 'p.mjs', '--url', 'https://h/mcp', '--header', 'A: 1', '--header=B: 2'])).toEqual({
			policy: 'p.mjs',
			url: 'https://h/mcp',
			headers: ['A: 1', 'B: 2'],
		});
	});

	it.each([
		[[], '--policy is required.'],
		[['--policy', 'p.mjs'], 'No upstream: give a command (after --) or --url.'],
		[['--policy', 'p.mjs', '--url', 'https://h/mcp', 'cmd'], 'Give either --url or an upstream command, not both.'],
		[['--policy', 'p.mjs', '--header', 'A: 1', 'cmd'], '--header applies to a --url upstream only.'],
		[['--policy'], '--policy needs a value.'],
		[['--verbose', '--policy', 'p.mjs', 'cmd'], 'Unknown option --verbose.'],
	])('rejects %j: %s', (argv, message) => {
		expect(() => parseArgs(argv)).toThrow(new UsageError(message));
	});

	it('reads ${VAR} in header values from the environment; a missing variable is named, never a value', () => {
		expect(
			parseHeaders(['Authorization: Bearer ${TOKEN}', 'X-Org:  ${ORG}-${ORG} '], { TOKEN: 's3cr3t', ORG: 'acme' }),
		).toEqual({ Authorization: 'Bearer s3cr3t', 'X-Org': 'acme-acme' });
		expect(() => parseHeaders(['Authorization: Bearer ${NOPE}'], {})).toThrow(
			'--header Authorization reads ${NOPE}, which is not set in the environment.',
		);
		expect(() => parseHeaders(['no colon here'], {})).toThrow(UsageError);
		expect(() => parseHeaders(['Bad Name: v'], {})).toThrow(UsageError);
	});
});
