/**
 * Finds the TypeScript snippets of the docs, so every one of them is compiled (strict) and run by the tests.
 *
 * The default is "compiled and run". A snippet opts out, visibly, with an HTML comment right above its fence
 * (blank lines allowed in between), which renders as nothing on GitHub and on the registry:
 * - `<!-- snippet: compile-only: why -->` type-checks it but does not run it (it needs a server, a key, a network);
 * - `<!-- snippet: skip: why -->` neither (a deliberately partial fragment); the reason is required;
 * - `<!-- snippet: prelude` ... `-->` adds hidden code before it (the `warden` or `tools` an excerpt assumes).
 * Only ```ts and ```typescript fences are snippets; shell, JSON and output blocks are not code to compile.
 */
export interface Snippet {
	/** The Markdown file, relative to the repository root. */
	readonly file: string;
	/** 1-based line of the snippet's first code line in `file`. */
	readonly line: number;
	readonly code: string;
	/** Hidden code run before it (empty when none). */
	readonly prelude: string;
	readonly mode: 'run' | 'compile-only' | 'skip';
	/** Why it is not run (for `compile-only` and `skip`). */
	readonly reason?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const DIRECTIVE = /^<!--\s*snippet:\s*([\w-]+)\s*(?::\s*([\s\S]*?))?\s*-->$/;
const CODE_LANGS = new Set(['ts', 'typescript']);

/** Extracts the snippets of one Markdown file; throws (naming file:line) on a malformed or unknown directive. */
export function extractSnippets(file: string, markdown: string): Snippet[] {
	const lines = markdown.split('\n');
	const snippets: Snippet[] = [];
	let pending: Pending = { prelude: [], mode: 'run' };
	for (let i = 0; i < lines.length; i++) {
		const text = lines[i] ?? '';
		if (text.trimStart().startsWith('<!--') && /^<!--\s*snippet:/.test(text.trim())) {
			const start = i;
			let comment = text.trim();
			while (!comment.endsWith('-->') && i + 1 < lines.length) comment += `\n${lines[++i] ?? ''}`;
			pending = applyDirective(pending, comment.trim(), `${file}:${start + 1}`);
			continue;
		}
		const fence = FENCE.exec(text);
		if (fence === null) {
			if (text.trim() !== '') pending = { prelude: [], mode: 'run' };
			continue;
		}
		const [, indent = '', marker = '```', lang = ''] = fence;
		const body: string[] = [];
		const first = i + 2;
		for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker); i++)
			body.push((lines[i] ?? '').slice(indent.length));
		if (CODE_LANGS.has(lang)) {
			snippets.push({
				file,
				line: first,
				code: body.join('\n'),
				prelude: pending.prelude.join('\n'),
				mode: pending.mode,
				...(pending.reason === undefined ? {} : { reason: pending.reason }),
			});
		} else if (pending.mode !== 'run' || pending.prelude.length > 0) {
			throw new Error(
				`${file}:${first - 1}: a snippet directive stands above a \`${lang || 'plain'}\` block, which is never compiled.`,
			);
		}
		pending = { prelude: [], mode: 'run' };
	}
	return snippets;
}

interface Pending {
	readonly prelude: string[];
	readonly mode: Snippet['mode'];
	readonly reason?: string;
}

function applyDirective(pending: Pending, comment: string, where: string): Pending {
	if (/^<!--\s*snippet:\s*prelude\b/.test(comment)) {
		// The prelude's code follows `snippet: prelude`, up to `-->`.
		const code = comment.replace(/^<!--\s*snippet:\s*prelude\s*:?/, '').replace(/-->$/, '');
		return {
			...pending,
			prelude: [
				...pending.prelude,
				...code.split('\n').filter((line, n, all) => !(line.trim() === '' && (n === 0 || n === all.length - 1))),
			],
		};
	}
	const match = DIRECTIVE.exec(comment);
	if (match === null)
		throw new Error(
			`${where}: malformed snippet directive (expected <!-- snippet: compile-only: why -->, <!-- snippet: skip: why --> or <!-- snippet: prelude ... -->).`,
		);
	const [, kind, rest = ''] = match;
	if (kind === 'skip' || kind === 'compile-only') {
		if (rest.trim() === '')
			throw new Error(`${where}: <!-- snippet: ${kind} --> needs a reason: <!-- snippet: ${kind}: why -->.`);
		return { prelude: pending.prelude, mode: kind, reason: rest.trim() };
	}
	throw new Error(`${where}: unknown snippet directive "${kind ?? ''}" (known: prelude, compile-only, skip).`);
}
