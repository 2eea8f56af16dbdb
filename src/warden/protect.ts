import { ConfigError } from '../errors/ConfigError.js';
import type { CallOptions, ToolSpec } from '../envelope/types.js';
import type { ContractRule } from '../contracts/rules.js';
import { className, contractsOf, toolsOf } from '../tools/bindInstance.js';
import { callToolMethod, extraArgumentsError } from '../tools/callToolMethod.js';
import { checkKeys } from '../_internal/validate.js';
import { CALL_OPTION_KEYS } from './envelopeOptions.js';

/** What `protect` needs of its Warden. */
export interface ProtectHost {
	/** Views made without options, by instance (one per instance). */
	readonly views: WeakMap<object, object>;
	/** Instances whose contracts and tool specs are registered. */
	readonly registered: WeakSet<object>;
	/** The Warden's tool registry (a policy entry is never replaced). */
	readonly tools: Record<string, ToolSpec>;
	/** Registers contract methods declared on a tool class. */
	addContracts(rules: readonly ContractRule[]): void;
	run(toolName: string, args: object, fn: (args: Readonly<object>) => unknown, options?: CallOptions): Promise<unknown>;
}

/** A governed view of a tool class instance: see `Warden.protect`. */
export function protect<T extends object>(host: ProtectHost, instance: T, options: CallOptions | undefined): T {
	if (typeof instance !== 'object' || instance === null)
		throw new ConfigError('protect(instance) needs an instance of a class with @tool methods.');
	if (options === undefined) {
		const existing = host.views.get(instance);
		if (existing !== undefined) return existing as T;
	} else {
		checkKeys(options, CALL_OPTION_KEYS, 'CallOptions');
	}
	const tools = toolsOf(instance);
	if (tools.length === 0)
		throw new ConfigError(
			`protect(): ${className(instance)} has no @tool methods. Decorate the methods the agent may call with @tool().`,
		);
	if (!host.registered.has(instance)) {
		host.registered.add(instance);
		const rules = contractsOf(instance);
		if (rules.length > 0) host.addContracts(rules);
		for (const { name, meta } of tools) {
			host.tools[name] ??= Object.freeze({
				...(meta.sideEffect === undefined ? {} : { sideEffect: meta.sideEffect }),
				...(meta.idempotent === undefined ? {} : { idempotent: meta.idempotent }),
			});
		}
	}
	const governed = new Map<PropertyKey, (args: object) => Promise<unknown>>();
	for (const { method, name } of tools) {
		const original = (instance as Record<string, unknown>)[method];
		if (typeof original !== 'function') continue;
		const fn = original as (a: object) => unknown;
		governed.set(method, (args: object, ...extra: unknown[]) =>
			extra.length > 0
				? Promise.reject(extraArgumentsError(name, extra.length + 1))
				: host.run(name, args, (frozen) => callToolMethod(fn, instance, name, frozen), options),
		);
	}
	const bound = new WeakMap<object, unknown>();
	const view = new Proxy(instance, {
		get(target, property) {
			const tool = governed.get(property);
			if (tool !== undefined) return tool;
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') return value;
			// Bound to the instance so its #private fields keep working behind the view.
			let fn = bound.get(value);
			if (fn === undefined) bound.set(value, (fn = (value as (...a: unknown[]) => unknown).bind(target)));
			return fn;
		},
	});
	if (options === undefined) host.views.set(instance, view);
	return view;
}
