const NONE: readonly string[] = Object.freeze([]);

/** Whether an argument of this name holds a file path (API §3), whatever the tool. */
export function isPathArgName(name: string): boolean {
	// Dispatch on the last character (every accepted name ends in h, s, e, r or y): most argument names are
	// rejected by it alone, the rest compare a name or a suffix or two (the suffixes `_path(s)`, `Path(s)`, `_file`,
	// `File`, `_dir`, `Dir`). Comparisons, not a set: this runs for every key of every call's args.
	switch (name.charCodeAt(name.length - 1)) {
		case 104: // h
			return name === 'path' || name.endsWith('_path') || name.endsWith('Path');
		case 115: // s
			return name === 'paths' || name === 'files' || name.endsWith('_paths') || name.endsWith('Paths');
		case 101: // e
			return (
				name === 'file' || name === 'filename' || name === 'fileName' || name.endsWith('_file') || name.endsWith('File')
			);
		case 114: // r
			return name === 'dir' || name.endsWith('_dir') || name.endsWith('Dir');
		case 121: // y
			return name === 'directory';
		default:
			return false;
	}
}

/**
 * The paths a walk found, in the order met. Made per call; its list only once a path is found (most calls name one
 * path or none, and an empty array would allocate room for sixteen on its first push).
 */
export class FoundPaths {
	list: string[] | undefined;

	get length(): number {
		return this.list === undefined ? 0 : this.list.length;
	}

	/**
	 * Adds a path arg's value at index `at` (the end by default): a string, or the strings of an array (an array of
	 * objects is walked by name instead).
	 */
	add(value: unknown, at = this.length): void {
		if (typeof value === 'string') {
			if (value !== '') this.#insert(at, [value]);
		} else if (Array.isArray(value)) {
			const strings = (value as unknown[]).filter((item): item is string => typeof item === 'string' && item !== '');
			if (strings.length > 0) this.#insert(at, strings);
		}
	}

	#insert(at: number, values: string[]): void {
		if (this.list === undefined) this.list = values;
		else if (at === this.list.length) this.list.push(...values);
		else this.list.splice(at, 0, ...values);
	}
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
	const walked = new FoundPaths();
	walk(args, walked);
	return filePathsFrom(args, fileArg, walked);
}

/**
 * {@link filePathsOf} when the path-named args were already collected while the args were copied (`snapshot`
 * collects them): `fileArg`'s paths first, then `walked`'s, without duplicates.
 */
export function filePathsFrom(
	args: Readonly<Record<string, unknown>>,
	fileArg: string | readonly string[] | undefined,
	walked: FoundPaths,
): readonly string[] {
	let found = walked.list;
	if (fileArg !== undefined) {
		const named = new FoundPaths();
		for (const name of typeof fileArg === 'string' ? [fileArg] : fileArg) named.add(args[name]);
		if (named.list !== undefined) found = found === undefined ? named.list : [...named.list, ...found];
	}
	if (found === undefined) return NONE;
	// `found` was made for this call alone: it may become the frozen result.
	return Object.freeze(found.length === 1 ? found : [...new Set(found)]);
}

function walk(value: object, found: FoundPaths): void {
	if (Array.isArray(value)) {
		for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) walk(item, found);
		return;
	}
	// The args are our own frozen copy (plain objects, own keys only): for-in needs no key array.
	for (const key in value) {
		const child = (value as Record<string, unknown>)[key];
		if (isPathArgName(key)) found.add(child);
		if (typeof child === 'object' && child !== null) walk(child, found);
	}
}
