import type { SideEffect, ToolSpec } from './types.js';
import { classifyBash } from './classifyBash.js';
import { filePathsFrom, filePathsOf, type FoundPaths } from './filePaths.js';

const RANK: Readonly<Record<SideEffect, number>> = { pure: 0, read: 1, write: 2, irreversible: 3 };

/** The valid side-effect classes, least dangerous first. */
export const SIDE_EFFECTS: readonly SideEffect[] = ['pure', 'read', 'write', 'irreversible'];

/** Returns the more restrictive of two side-effect classes. */
export function stricter(a: SideEffect, b: SideEffect): SideEffect {
	return RANK[a] >= RANK[b] ? a : b;
}

const SHELL_TOOLS = new Set(['Bash', 'bash', 'shell']);

/** What the envelope derives from the tool's name, its registry entry and its args. */
export interface ToolTraits {
	readonly sideEffect: SideEffect;
	/** The side effect was declared (registry, `@tool`, adapter metadata, `classifyBash`), not the unknown default. */
	readonly sideEffectDeclared: boolean;
	readonly idempotent: boolean;
	readonly bashCommand: string | null;
	readonly filePaths: readonly string[];
}

/**
 * Derives a call's side effect, shell command and file paths (API §3). `declared` is what an adapter knows from the
 * framework (MCP annotations): the registry entry wins field by field, the adapter's fills the gaps. `walkedPaths`
 * are the path-named args' strings when the copy of the args already collected them (else the args are walked).
 */
export function toolTraits(
	toolName: string,
	args: Readonly<Record<string, unknown>>,
	spec: ToolSpec | undefined,
	declared?: ToolSpec,
	walkedPaths?: FoundPaths,
): ToolTraits {
	const fileArg = spec?.fileArg ?? declared?.fileArg;
	const registered = spec?.sideEffect ?? declared?.sideEffect;
	let sideEffect: SideEffect = registered ?? 'irreversible';
	let sideEffectDeclared = registered !== undefined;
	let bashCommand: string | null = null;
	if (spec?.shell === true || (spec?.shell !== false && SHELL_TOOLS.has(toolName))) {
		const command = args['command'];
		bashCommand = typeof command === 'string' ? command : null;
		const classified = bashCommand === null ? 'irreversible' : classifyBash(bashCommand);
		sideEffect = registered === undefined ? classified : stricter(classified, registered);
		sideEffectDeclared = registered !== undefined || bashCommand !== null;
	}
	return {
		sideEffect,
		sideEffectDeclared,
		idempotent: (spec?.idempotent ?? declared?.idempotent) === true,
		bashCommand,
		filePaths: walkedPaths === undefined ? filePathsOf(args, fileArg) : filePathsFrom(args, fileArg, walkedPaths),
	};
}
