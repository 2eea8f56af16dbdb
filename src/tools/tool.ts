import type { MethodDecorator } from '../contracts/decorator.js';
import type { SideEffect } from '../envelope/types.js';
import { SIDE_EFFECTS } from '../envelope/toolTraits.js';
import { ConfigError } from '../errors/ConfigError.js';
import { isDecoratorCall, methodDecorator } from '../contracts/decoratorMeta.js';
import { checkKeys, checkOneOf } from '../_internal/validate.js';

/**
 * How a `@tool` method is governed.
 *
 * @example
 * ```ts
 * class Payments {
 *   @tool({ name: 'refund', sideEffect: 'irreversible', description: 'Refund an order' })
 *   async refund(args: { orderId: string; amount: number }) { ... }
 * }
 * ```
 */
export interface ToolOptions {
	/**
	 * The tool's name in the pipeline, contracts' selectors and audit events.
	 * @default the method name
	 */
	readonly name?: string;
	/**
	 * The tool's side-effect class (unless `WardenOptions.tools` registers the name already).
	 * @default 'irreversible'
	 */
	readonly sideEffect?: SideEffect;
	/** @default false */
	readonly idempotent?: boolean;
	/** What the tool does; for people and for adapters that expose the tool to a model. */
	readonly description?: string;
}

/** A `@tool` method's recorded spec, with its name resolved. */
export interface ToolMeta {
	readonly name: string | undefined;
	readonly sideEffect: SideEffect | undefined;
	readonly idempotent: boolean | undefined;
	readonly description: string | undefined;
}

/**
 * The signature a `@tool` method must have: one plain-object argument, and a promise back. Governed methods always
 * answer asynchronously (governance may consult a remote store), so requiring `async` keeps the protected view's type
 * (`protect<T>(instance): T`) true.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the decorated method's own arg type is checked at its call sites
export type ToolMethod = (args: any) => Promise<unknown>;

/**
 * Marks a method of a tool class as a governed tool: `warden.protect(instance)` returns a view whose `@tool` methods
 * go through the pipeline (and reject with `ToolCallDenied` when denied). The method is `async`, takes one
 * plain-object argument, and runs on the frozen copy of it. Works with legacy `experimentalDecorators` and TC39 standard decorators.
 *
 * @example
 * ```ts
 * class DevTools {
 *   @tool({ name: 'read_file', sideEffect: 'read' })
 *   async readFile(args: { path: string }) { return fs.readFile(args.path, 'utf8'); }
 * }
 * const tools = warden.protect(new DevTools());
 * await tools.readFile({ path: 'README.md' });
 * ```
 */
export function tool(options?: ToolOptions): MethodDecorator<ToolMethod>;
export function tool(...args: unknown[]): MethodDecorator<ToolMethod> | undefined {
	if (isDecoratorCall(args)) {
		toolDecorator(toolMeta(undefined))(...args);
		return undefined;
	}
	return toolDecorator(toolMeta(args[0])) as MethodDecorator<ToolMethod>;
}

function toolDecorator(meta: ToolMeta) {
	const record = methodDecorator('@tool', 'tool', meta, 'toolwarden:tool');
	return function decorate(...args: unknown[]): void {
		// TC39: (method, context); legacy: (prototype, key, descriptor).
		const method: unknown = args.length === 2 ? args[0] : (args[2] as PropertyDescriptor | undefined)?.value;
		const name = args.length === 2 ? (args[1] as { name?: unknown }).name : args[1];
		if (typeof method === 'function' && method.length > 1) {
			// The governed view passes one argument: a second declared parameter would always be undefined.
			throw new ConfigError(
				`@tool method "${String(name)}" declares ${method.length} parameters, but a governed method takes one ` +
					'plain-object argument (the others would always be undefined). Put them in one object: ' +
					`${String(name)}(args: { a: ...; b: ... }).`,
			);
		}
		record(...args);
	};
}

function toolMeta(options: unknown): ToolMeta {
	if (options === undefined)
		return Object.freeze({ name: undefined, sideEffect: undefined, idempotent: undefined, description: undefined });
	const { name, sideEffect, idempotent, description } = checkKeys(
		options,
		['name', 'sideEffect', 'idempotent', 'description'],
		'@tool options',
	);
	if (name !== undefined && (typeof name !== 'string' || name === ''))
		throw new ConfigError('@tool options.name must be a non-empty string.');
	if (idempotent !== undefined && typeof idempotent !== 'boolean')
		throw new ConfigError('@tool options.idempotent must be a boolean.');
	if (description !== undefined && typeof description !== 'string')
		throw new ConfigError('@tool options.description must be a string.');
	return Object.freeze({
		name: name,
		sideEffect: sideEffect === undefined ? undefined : checkOneOf(sideEffect, SIDE_EFFECTS, '@tool options.sideEffect'),
		idempotent: idempotent,
		description: description,
	});
}
