import { InvalidArgs } from '../errors/InvalidArgs.js';

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
export function snapshot(value: unknown): unknown {
	return copy(value, '$', 0, []);
}

function copy(value: unknown, path: string, depth: number, ancestors: object[]): unknown {
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
	if (ancestors.includes(object))
		throw new InvalidArgs(path, 'circular reference; tool arguments must be a tree of plain data');
	if (Array.isArray(object)) return copyArray(object, path, depth, ancestors);
	const proto: unknown = Object.getPrototypeOf(object);
	if (proto === Object.prototype || proto === null) return copyObject(object, proto === null, path, depth, ancestors);
	if (object instanceof Date) {
		const time = object.getTime();
		if (Number.isNaN(time)) throw new InvalidArgs(path, 'invalid Date');
		return object.toISOString();
	}
	throw new InvalidArgs(path, `${describe(object)} is not plain data; pass a plain object, array or primitive`);
}

function copyArray(array: unknown[], path: string, depth: number, ancestors: object[]): readonly unknown[] {
	ancestors.push(array);
	const out = new Array<unknown>(array.length);
	for (let i = 0; i < array.length; i++) {
		const item = readProperty(array, String(i), path);
		// Most items are primitives: keep them without building the path that only an error message needs.
		out[i] = isPrimitive(item) ? item : copy(item, `${path}[${i}]`, depth + 1, ancestors);
	}
	ancestors.pop();
	return Object.freeze(out);
}

function copyObject(object: object, nullProto: boolean, path: string, depth: number, ancestors: object[]): object {
	if (Object.getOwnPropertySymbols(object).length > 0)
		throw new InvalidArgs(path, 'symbol keys are not supported; use string keys');
	ancestors.push(object);
	const out: Record<string, unknown> = nullProto ? (Object.create(null) as Record<string, unknown>) : {};
	for (const key in object) {
		if (!Object.hasOwn(object, key)) continue;
		const value = readProperty(object, key, path);
		const child = isPrimitive(value) ? value : copy(value, `${path}.${key}`, depth + 1, ancestors);
		// `out[key] = ...` with key "__proto__" would set the prototype instead of copying the data.
		if (key === '__proto__')
			Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
		else out[key] = child;
	}
	ancestors.pop();
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
