import type { SideEffect, ToolSpec } from './types.js';
import { classifyBash } from './classifyBash.js';

const RANK: Readonly<Record<SideEffect, number>> = { pure: 0, read: 1, write: 2, irreversible: 3 };

/** The valid side-effect classes, least dangerous first. */
export const SIDE_EFFECTS: readonly SideEffect[] = ['pure', 'read', 'write', 'irreversible'];

/** Returns the more restrictive of two side-effect classes. */
export function stricter(a: SideEffect, b: SideEffect): SideEffect {
	return RANK[a] >= RANK[b] ? a : b;
}

const SHELL_TOOLS = new Set(['Bash', 'bash', 'shell']);

// Tools of the common agent stacks (Claude Code, MCP filesystem servers, typical LangChain/AI SDK tools) whose
// path argument names the file they act on.
const FILE_TOOLS = new Set([
	'Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Glob', 'Grep', 'LS',
	'read_file', 'write_file', 'edit_file', 'delete_file', 'move_file', 'create_file', 'append_file',
	'read_text_file', 'read_multiple_files', 'list_directory', 'create_directory', 'search_files', 'get_file_info',
]);
const FILE_ARGS = ['file_path', 'filePath', 'path', 'notebook_path'] as const;

/** What the envelope derives from the tool's name, its registry entry and its args. */
export interface ToolTraits {
	readonly sideEffect: SideEffect;
	readonly idempotent: boolean;
	readonly bashCommand: string | null;
	readonly filePath: string | null;
}

/** Derives a call's side effect, shell command and file path (API §3). */
export function toolTraits(toolName: string, args: Readonly<Record<string, unknown>>, spec: ToolSpec | undefined): ToolTraits {
	const registered = spec?.sideEffect;
	let sideEffect: SideEffect = registered ?? 'irreversible';
	let bashCommand: string | null = null;
	if (spec?.shell === true || (spec?.shell !== false && SHELL_TOOLS.has(toolName))) {
		const command = args['command'];
		bashCommand = typeof command === 'string' ? command : null;
		const classified = bashCommand === null ? 'irreversible' : classifyBash(bashCommand);
		sideEffect = registered === undefined ? classified : stricter(classified, registered);
	}
	return { sideEffect, idempotent: spec?.idempotent === true, bashCommand, filePath: filePathOf(toolName, args, spec) };
}

function filePathOf(toolName: string, args: Readonly<Record<string, unknown>>, spec: ToolSpec | undefined): string | null {
	if (spec?.fileArg !== undefined) {
		const value = args[spec.fileArg];
		return typeof value === 'string' ? value : null;
	}
	if (!FILE_TOOLS.has(toolName)) return null;
	for (const name of FILE_ARGS) {
		const value = args[name];
		if (typeof value === 'string') return value;
	}
	return null;
}
