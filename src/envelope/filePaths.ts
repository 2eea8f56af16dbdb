// prettier-ignore
const PATH_NAMES = new Set([
	'path', 'paths', 'file', 'files', 'file_path', 'filePath', 'filename', 'fileName', 'dir', 'directory',
]);
const PATH_SUFFIX = /(?:_paths?|Paths?|_file|File|_dir|Dir)$/;
const NONE: readonly string[] = Object.freeze([]);

// Every name the rule accepts ends in one of these letters (path, paths, file, dir, directory, ...Path, ..._file):
// a one-character check skips most argument names before the set and the regex are consulted.
const LAST_CHARS = new Set(['h', 's', 'e', 'r', 'y']);

/** Whether an argument of this name holds a file path (API §3), whatever the tool. */
export function isPathArgName(name: string): boolean {
	return LAST_CHARS.has(name.charAt(name.length - 1)) && (PATH_NAMES.has(name) || PATH_SUFFIX.test(name));
}

/**
 * Every path a call names (API §3): the strings (or strings in arrays) under the args named by `fileArg` first, then
 * under any path-named arg at any depth, in the order met, without duplicates. Only the frozen, already validated
 * copy of the args is walked (no cycles, bounded depth); no file system access happens here.
 */
export function filePathsOf(
	args: Readonly<Record<string, unknown>>,
	fileArg: string | readonly string[] | undefined,
): readonly string[] {
	const found: string[] = [];
	if (fileArg !== undefined) {
		for (const name of typeof fileArg === 'string' ? [fileArg] : fileArg) collect(args[name], found);
	}
	walk(args, found);
	if (found.length === 0) return NONE;
	return Object.freeze(found.length === 1 ? found : [...new Set(found)]);
}

function walk(value: object, found: string[]): void {
	if (Array.isArray(value)) {
		for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) walk(item, found);
		return;
	}
	// The args are our own frozen copy (plain objects, own keys only): for-in needs no key array.
	for (const key in value) {
		const child = (value as Record<string, unknown>)[key];
		if (isPathArgName(key)) collect(child, found);
		if (typeof child === 'object' && child !== null) walk(child, found);
	}
}

/** A path arg's value: a string, or the strings of an array (an array of objects is walked by name instead). */
function collect(value: unknown, found: string[]): void {
	if (typeof value === 'string') {
		if (value !== '') found.push(value);
	} else if (Array.isArray(value)) {
		for (const item of value as unknown[]) if (typeof item === 'string' && item !== '') found.push(item);
	}
}
