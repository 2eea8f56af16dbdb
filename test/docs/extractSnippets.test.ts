import { describe, expect, it } from 'vitest';
import { moduleText, sourceOf } from './compileSnippets.js';
import { extractSnippets } from './extractSnippets.js';

const page = [
	'# Title', //                                    1
	'', //                                           2
	'```ts', //                                      3
	'const a: number = 1;', //                        4
	'```', //                                        5
	'', //                                           6
	'<!-- snippet: prelude', //                      7
	"const warden = 'w';", //                         8
	'-->', //                                        9
	'```ts', //                                      10
	'console.log(warden);', //                       11
	'```', //                                        12
	'<!-- snippet: compile-only: needs a server -->', // 13
	'', //                                           14
	'```typescript', //                              15
	'await connect();', //                           16
	'```', //                                        17
	'```sh', //                                      18
	'npm test', //                                   19
	'```', //                                        20
	'- a list item:', //                             21
	'  ```ts', //                                    22
	'  indented();', //                              23
	'  ```', //                                      24
].join('\n');

describe('extractSnippets', () => {
	it('given a page, finds its ts blocks with their first code line, directives and indentation', () => {
		const snippets = extractSnippets('docs/x.md', page);
		expect(snippets.map((s) => [s.line, s.mode, s.code, s.prelude, s.reason])).toEqual([
			[4, 'run', 'const a: number = 1;', '', undefined],
			[11, 'run', 'console.log(warden);', "const warden = 'w';", undefined],
			[16, 'compile-only', 'await connect();', '', 'needs a server'],
			[23, 'run', 'indented();', '', undefined],
		]);
	});

	it('a directive applies to the next block only, and is dropped by text in between', () => {
		const snippets = extractSnippets('x.md', '<!-- snippet: skip: partial -->\nSome text.\n```ts\nx();\n```');
		expect(snippets[0]?.mode).toBe('run');
	});

	it('rejects a skip without a reason, an unknown directive, and a directive above a non-ts block, naming file:line', () => {
		expect(() => extractSnippets('a.md', 'x\n<!-- snippet: skip -->\n```ts\n```')).toThrow(
			/^a\.md:2: .*needs a reason/,
		);
		expect(() => extractSnippets('a.md', '<!-- snippet: ignore: why -->\n```ts\n```')).toThrow(
			/^a\.md:1: unknown snippet directive "ignore"/,
		);
		expect(() => extractSnippets('a.md', '<!-- snippet: skip: why -->\n```sh\nls\n```')).toThrow(
			/^a\.md:2: .*`sh` block/,
		);
	});

	it('maps generated lines back to the Markdown, the hidden prelude included', () => {
		const [, withPrelude] = extractSnippets('docs/x.md', page);
		if (withPrelude === undefined) throw new Error('no snippet');
		const { text, preludeLines } = moduleText(withPrelude, '/tmp/s/x.ts', '/repo/test/docs/stubs');
		expect(text.split('\n').slice(0, 2)).toEqual(["const warden = 'w';", 'console.log(warden);']);
		const module = { snippet: withPrelude, path: '/tmp/s/x.ts', preludeLines };
		expect(sourceOf(module, 1)).toBe('docs/x.md:11 (hidden prelude, line 1)');
		expect(sourceOf(module, 2)).toBe('docs/x.md:11');
	});

	it('points imports of frameworks that are not installed at their offline stand-ins', () => {
		const snippet = {
			file: 'x.md',
			line: 1,
			code: "import { query } from '@anthropic-ai/claude-agent-sdk';\nimport { z } from 'zod';",
			prelude: '',
			mode: 'run' as const,
		};
		const { text } = moduleText(snippet, '/tmp/s/x.ts', '/tmp/stubs');
		expect(text).toContain("from '../stubs/claude-agent-sdk.js'");
		expect(text).toContain("from 'zod'");
	});
});
