import { defineContract, type ContractMeta } from '../contracts/defineContract.js';
import { decoratedMethods } from '../contracts/decoratorMeta.js';
import type { ContractRule } from '../contracts/rules.js';
import type { ToolMeta } from './tool.js';

/** The contracts declared by decorated methods of `instance`, bound to it (`this` is the instance). */
export function contractsOf(instance: object): ContractRule[] {
	const rules: ContractRule[] = [];
	for (const { name, metas } of decoratedMethods<ContractMeta>(instance, 'contract')) {
		const method = (instance as Record<string, unknown>)[name];
		if (typeof method !== 'function') continue;
		for (const meta of metas) {
			const check = (a: unknown, b?: unknown): unknown =>
				(method as (a: unknown, b?: unknown) => unknown).call(instance, a, b);
			const label = `${className(instance)}.${name}`;
			rules.push(
				defineContract(meta.type, meta.selector, check, { ...meta.options, name: meta.options.name ?? name }, label),
			);
		}
	}
	return rules;
}

/** A `@tool` method of an instance, with its resolved tool name. */
export interface BoundTool {
	readonly method: string;
	readonly name: string;
	readonly meta: ToolMeta;
}

export function toolsOf(instance: object): BoundTool[] {
	return decoratedMethods<ToolMeta>(instance, 'tool').map(({ name, metas }) => {
		const meta = metas[metas.length - 1] as ToolMeta;
		return { method: name, name: meta.name ?? name, meta };
	});
}

export function className(instance: object): string {
	const name = (instance as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof name === 'string' && name !== '' ? name : 'object';
}
