import { InvalidArgs } from '../errors/InvalidArgs.js';
import { isPathArgName, type FoundPaths } from './filePaths.js';

/** Nesting deeper than this is rejected: tool args come from JSON, and deep recursion must never crash the host. */
export const MAX_DEPTH = 64;

/**
 * Deep-copies `value` into plain, deep-frozen data. The outcome for each kind of value (documented on
 * `createEnvelope`):
 * - primitives (string, number incl. NaN/±Infinity, boolean, null, undefined, bigint): kept as they are;
 * - plain objects (prototype `Object.prototype` or `null`) and arrays: copied, own enumerable string keys only,
 *   getters read once (a throwing getter rejects), an own `__proto__` key copied as a data property;
 * - `Date`: becomes its ISO 8601 string, as JSON would (an invalid date rejects);
 * - cycles, nesting over {@link MAX_DEPTH}, symbol keys, functions, symbols, Map/Set, typed arrays and buffers,
 *   class instances, boxed primitives, promises: rejected with {@link InvalidArgs}.
 */
export function snapshot(value: unknown, paths?: FoundPaths): unknown {
	return copy(value, '$', 0, undefined, paths);
}

/**
 * The objects above the one being copied, innermost first: a linked list made only on the way down, so flat args
 * (most calls) allocate nothing for cycle detection.
 */
interface Ancestors {
	readonly object: object;
	readonly parent: Ancestors | undefined;
}

function isAncestor(object: object, ancestors: Ancestors | undefined): boolean {
	for (let at = ancestors; at !== undefined; at = at.parent) if (at.object === object) return true;
	return false;
}

/**
 * `paths`, when given, collects the strings under path-named keys (API §3) as the copy walks the value, so the
 * envelope's `filePaths` cost no second walk; the order is the walk's (depth first, keys in order).
 */
function copy(
	value: unknown,
	path: string,
	depth: number,
	ancestors: Ancestors | undefined,
	paths: FoundPaths | undefined,
): unknown {
	switch (typeof value) {
		case 'string':
		case 'number':
		case 'boolean':
		case 'undefined':
		case 'bigint':
			return value;
		case 'function':
			throw new InvalidArgs(path, 'functions cannot be tool arguments; pass data only');
		case 'symbol':
			throw new InvalidArgs(path, 'symbols cannot be tool arguments; use a string');
	}
	if (value === null) return null;
	const object = value as object;
	if (depth >= MAX_DEPTH) throw new InvalidArgs(path, `nesting deeper than ${MAX_DEPTH} levels`);
	if (isAncestor(object, ancestors))
		throw new InvalidArgs(path, 'circular reference; tool arguments must be a tree of plain data');
	if (Array.isArray(object)) return copyArray(object, path, depth, ancestors, paths);
	const proto: unknown = Object.getPrototypeOf(object);
	if (proto === Object.prototype || proto === null)
		return copyObject(object, proto === null, path, depth, ancestors, paths);
	if (object instanceof Date) {
		const time = object.getTime();
		if (Number.isNaN(time)) throw new InvalidArgs(path, 'invalid Date');
		return object.toISOString();
	}
	throw new InvalidArgs(path, `${describe(object)} is not plain data; pass a plain object, array or primitive`);
}

function copyArray(
	array: unknown[],
	path: string,
	depth: number,
	ancestors: Ancestors | undefined,
	paths: FoundPaths | undefined,
): readonly unknown[] {
	const out = new Array<unknown>(array.length);
	let below: Ancestors | undefined;
	for (let i = 0; i < array.length; i++) {
		const item = readProperty(array, String(i), path);
		// Most items are primitives: keep them without building the path that only an error message needs.
		out[i] = isPrimitive(item)
			? item
			: copy(item, `${path}[${i}]`, depth + 1, (below ??= { object: array, parent: ancestors }), paths);
	}
	return Object.freeze(out);
}

function copyObject(
	object: object,
	nullProto: boolean,
	path: string,
	depth: number,
	ancestors: Ancestors | undefined,
	paths: FoundPaths | undefined,
): object {
	if (Object.getOwnPropertySymbols(object).length > 0)
		throw new InvalidArgs(path, 'symbol keys are not supported; use string keys');
	const out: Record<string, unknown> = nullProto ? (Object.create(null) as Record<string, unknown>) : {};
	let below: Ancestors | undefined;
	for (const key in object) {
		if (!Object.hasOwn(object, key)) continue;
		const value = readProperty(object, key, path);
		// A key's own paths come before those found below it, as a walk that collects on the way down meets them.
		const mark = paths === undefined ? 0 : paths.length;
		const child = isPrimitive(value)
			? value
			: copy(value, `${path}.${key}`, depth + 1, (below ??= { object, parent: ancestors }), paths);
		if (paths !== undefined && isPathArgName(key)) paths.add(child, mark);
		// `out[key] = ...` with key "__proto__" would set the prototype instead of copying the data.
		if (key === '__proto__')
			Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
		else out[key] = child;
	}
	return Object.freeze(out);
}

function isPrimitive(value: unknown): boolean {
	const type = typeof value;
	return value === null || (type !== 'object' && type !== 'function' && type !== 'symbol');
}

function readProperty(object: object, key: string, path: string): unknown {
	try {
		return (object as Record<string, unknown>)[key];
	} catch (error) {
		throw new InvalidArgs(
			`${path}.${key}`,
			`reading the property threw (${error instanceof Error ? error.name : typeof error})`,
		);
	}
}

function describe(object: object): string {
	if (object instanceof Map) return 'a Map';
	if (object instanceof Set) return 'a Set';
	if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return 'binary data (encode it as a base64 string)';
	const name = (object as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an exotic object';
}
