import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';

/** How much of a result the audit trail keeps. */
export const RESULT_SUMMARY_CHARS = 1024;

/**
 * A short, redacted preview of a tool result for the audit trail: strings as they are, anything else as JSON, cut
 * at {@link RESULT_SUMMARY_CHARS}. Serialises incrementally, so a huge result costs no more than its preview.
 */
export function summarize(result: unknown, policy: RedactionPolicy): string | null {
	if (result === undefined) return null;
	const out: string[] = [];
	const budget = { left: RESULT_SUMMARY_CHARS + 64 };
	if (typeof result === 'string') out.push(result.length > budget.left ? result.slice(0, budget.left) : result);
	else write(result, out, budget, [], policy);
	let text = out.join('');
	const cut = text.length > RESULT_SUMMARY_CHARS || budget.left <= 0;
	text = policy.redactText(text.slice(0, RESULT_SUMMARY_CHARS));
	return cut ? `${text}…` : text;
}

function write(value: unknown, out: string[], budget: { left: number }, ancestors: object[], policy: RedactionPolicy): void {
	if (budget.left <= 0) return;
	const push = (text: string) => {
		out.push(text);
		budget.left -= text.length;
	};
	switch (typeof value) {
		case 'string':
			push(JSON.stringify(value.length > budget.left ? value.slice(0, budget.left) : value));
			return;
		case 'number':
		case 'boolean':
			push(String(value));
			return;
		case 'bigint':
			push(`"${value}"`);
			return;
		case 'undefined':
		case 'function':
		case 'symbol':
			push('null');
			return;
	}
	if (value === null) return push('null');
	const object = value as object;
	if (ancestors.includes(object) || ancestors.length > 16) return push('"[Circular]"');
	try {
		if (object instanceof Date) return push(JSON.stringify(Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString()));
		if (object instanceof Map || object instanceof Set || ArrayBuffer.isView(object)) return push(`"[${object.constructor.name}]"`);
		ancestors.push(object);
		if (Array.isArray(object)) {
			push('[');
			for (let i = 0; i < object.length && budget.left > 0; i++) {
				if (i > 0) push(',');
				write(object[i], out, budget, ancestors, policy);
			}
			push(']');
		} else {
			push('{');
			let first = true;
			for (const key in object) {
				if (!Object.hasOwn(object, key) || budget.left <= 0) continue;
				push(`${first ? '' : ','}${JSON.stringify(key)}:`);
				first = false;
				if (policy.isSecretKey(key)) push('"[REDACTED]"');
				else write((object as Record<string, unknown>)[key], out, budget, ancestors, policy);
			}
			push('}');
		}
		ancestors.pop();
	} catch {
		push('"[Unreadable]"');
	}
}
