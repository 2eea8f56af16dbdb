import { ConfigError } from '../errors/ConfigError.js';

/**
 * Decorators record what they decorate here, so both decorator flavours land in one place:
 * - legacy (`experimentalDecorators`): `(prototype, key, descriptor)`; recorded per prototype at class definition;
 * - TC39 standard: `(method, context)`; recorded per instance by an initializer, because the standard gives a method
 *   decorator no handle on the class (and `context.metadata` exists only where `Symbol.metadata` is polyfilled,
 *   which a library must not do).
 * Discovery walks the prototype chain, so subclasses inherit decorated methods and the nearest declaration wins.
 */
export type MetaKind = 'tool' | 'contract';

const byPrototype = new WeakMap<object, Map<string, Map<MetaKind, unknown[]>>>();
const byInstance = new WeakMap<object, Map<string, Map<MetaKind, unknown[]>>>();

interface Tc39Context {
	readonly kind: string;
	readonly name: string | symbol;
	readonly static: boolean;
	readonly private: boolean;
	addInitializer(initializer: (this: unknown) => void): void;
}

function isTc39Context(value: unknown): value is Tc39Context {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { kind?: unknown }).kind === 'string' &&
		typeof (value as { addInitializer?: unknown }).addInitializer === 'function'
	);
}

function add(
	store: WeakMap<object, Map<string, Map<MetaKind, unknown[]>>>,
	owner: object,
	name: string,
	kind: MetaKind,
	meta: unknown,
): void {
	let names = store.get(owner);
	if (names === undefined) store.set(owner, (names = new Map<string, Map<MetaKind, unknown[]>>()));
	let kinds = names.get(name);
	if (kinds === undefined) names.set(name, (kinds = new Map<MetaKind, unknown[]>()));
	const list = kinds.get(kind);
	if (list === undefined) kinds.set(kind, [meta]);
	else if (!list.includes(meta)) list.push(meta);
}

/** Whether these arguments are a decorator application (legacy or TC39) rather than a function-form call. */
export function isDecoratorCall(args: readonly unknown[]): boolean {
	if (isTc39Context(args[1])) return true;
	return (
		args.length === 3 &&
		typeof args[0] === 'object' &&
		args[0] !== null &&
		(typeof args[1] === 'string' || typeof args[1] === 'symbol')
	);
}

/**
 * Builds a method decorator that works in both flavours and records `meta` for the method.
 * `label` names the decorator in errors (`@tool`, `@precondition`).
 */
export function methodDecorator(label: string, kind: MetaKind, meta: unknown, reflectKey: string) {
	return function decorate(...args: unknown[]): void {
		if (isTc39Context(args[1])) {
			const context = args[1];
			if (context.kind !== 'method')
				throw new ConfigError(`${label} can only decorate methods; "${String(context.name)}" is a ${context.kind}.`);
			if (context.static || context.private || typeof context.name !== 'string') {
				throw new ConfigError(
					`${label} can only decorate public instance methods; "${String(context.name)}" is ${context.static ? 'static' : 'private'}.`,
				);
			}
			const name = context.name;
			context.addInitializer(function record(this: unknown) {
				add(byInstance, this as object, name, kind, meta);
			});
			return;
		}
		const [target, key, descriptor] = args as [unknown, unknown, PropertyDescriptor | undefined];
		const shown = typeof key === 'symbol' ? key.toString() : String(key);
		if (typeof target === 'function')
			throw new ConfigError(`${label} can only decorate instance methods; "${shown}" is static.`);
		if (typeof target !== 'object' || target === null || typeof key !== 'string')
			throw new ConfigError(`${label} can only decorate methods with a string name.`);
		if (descriptor === undefined || typeof descriptor.value !== 'function') {
			throw new ConfigError(
				`${label} can only decorate methods; "${shown}" is a ${descriptor === undefined ? 'field' : 'getter or setter'}.`,
			);
		}
		add(byPrototype, target, key, kind, meta);
		recordReflectMetadata(reflectKey, meta, target, key);
	};
}

// Optional interop: frameworks built on reflect-metadata can discover our tools and contracts. Never required.
function recordReflectMetadata(key: string, meta: unknown, target: object, property: string): void {
	const reflect = Reflect as unknown as {
		defineMetadata?: (k: string, v: unknown, t: object, p: string) => void;
		getOwnMetadata?: (k: string, t: object, p: string) => unknown;
	};
	if (typeof reflect.defineMetadata !== 'function') return;
	if (key === 'toolwarden:contract') {
		const existing = reflect.getOwnMetadata?.(key, target, property);
		reflect.defineMetadata(key, [...(Array.isArray(existing) ? (existing as unknown[]) : []), meta], target, property);
	} else {
		reflect.defineMetadata(key, meta, target, property);
	}
}

/** Every decorated method of `instance` with its metadata of `kind`, nearest declaration first per name. */
export function decoratedMethods<M>(instance: object, kind: MetaKind): Array<{ name: string; metas: readonly M[] }> {
	const found = new Map<string, readonly M[]>();
	const own = byInstance.get(instance);
	if (own !== undefined) {
		for (const [name, kinds] of own) {
			const metas = kinds.get(kind);
			if (metas !== undefined) found.set(name, metas as M[]);
		}
	}
	for (
		let proto = Object.getPrototypeOf(instance) as object | null;
		proto !== null && proto !== Object.prototype;
		proto = Object.getPrototypeOf(proto) as object | null
	) {
		const names = byPrototype.get(proto);
		if (names === undefined) continue;
		for (const [name, kinds] of names) {
			const metas = kinds.get(kind);
			if (metas !== undefined && !found.has(name)) found.set(name, metas as M[]);
		}
	}
	return [...found].map(([name, metas]) => ({ name, metas }));
}
