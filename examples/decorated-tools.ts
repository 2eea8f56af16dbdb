/**
 * Decorating a tool class: `@tool` marks the methods an agent may call, `warden.protect()` returns a governed view.
 * Run: npx tsx examples/decorated-tools.ts
 */
import { MemorySink, precondition, ToolCallDenied, tool, Verdict, Warden, type ToolEnvelope } from 'toolwarden';
import { runIfMain } from './run-main.js';

class NotesTools {
	readonly #notes = new Map<string, string>([['todo', 'ship v1']]);

	@tool({ name: 'read_note', sideEffect: 'read', description: 'Read a note by title' })
	async readNote(args: { title: string }): Promise<string> {
		return this.#notes.get(args.title) ?? `(no note called ${args.title})`;
	}

	@tool({ name: 'write_note', sideEffect: 'write' })
	async writeNote(args: { title: string; body: string }): Promise<string> {
		this.#notes.set(args.title, args.body);
		return `saved ${args.title}`;
	}

	// A contract declared on the tool class itself is registered by protect().
	@precondition('write_note')
	shortNotes(call: ToolEnvelope) {
		return String(call.args['body']).length <= 200
			? Verdict.pass()
			: Verdict.fail('Notes are limited to 200 characters; summarise first.');
	}

	/** Not a tool: passes through the governed view untouched. */
	count(): number {
		return this.#notes.size;
	}
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const audit = new MemorySink();
	const warden = new Warden({ audit });
	const notes = warden.protect(new NotesTools());

	log(`read_note → ${await notes.readNote({ title: 'todo' })}`);
	log(`write_note → ${await notes.writeNote({ title: 'idea', body: 'governance first' })}`);
	try {
		await notes.writeNote({ title: 'essay', body: 'x'.repeat(500) });
	} catch (error) {
		if (!(error instanceof ToolCallDenied)) throw error;
		log(`write_note denied by ${error.rule}: ${error.reason}`);
	}
	log(`notes stored: ${notes.count()}`);
	log(`audit: ${audit.events.map((e) => e.action).join(', ')}`);
}

runIfMain(import.meta.url, main);
