import type { RedactionPolicy } from '../redaction/RedactionPolicy.js';

/** How much of a result the audit trail keeps. */
export const RESULT_SUMMARY_CHARS = 1024;

/** Redaction runs over a little more of a string than the preview keeps, so a secret at the cut is seen whole. */
const MARGIN = 512;

/**
 * A short, redacted preview of a tool result for the audit trail: strings as they are, anything else as JSON, cut
 * at {@link RESULT_SUMMARY_CHARS}. Redacts the structure first (each key and string on its own, secret-named keys
 * whole), then serialises: redacting the JSON text instead would meet escaped quotes (`\"password\": \"…\"`) that
 * defeat the key rules. Serialises incrementally, so a huge result costs no more than its preview.
 */
export function summarize(result: unknown, policy: RedactionPolicy): string | null {
	if (result === undefined) return null;
	// Numbers and booleans are what many tools return: their text is the summary, nothing to redact or cut.
	if (typeof result === 'number' || typeof result === 'boolean') return String(result);
	const out: string[] = [];
	const budget = { left: RESULT_SUMMARY_CHARS + 64 };
	if (typeof result === 'string') out.push(preview(result, budget.left, policy));
	else write(result, out, budget, [], policy);
	const text = out.join('');
	const cut = text.length > RESULT_SUMMARY_CHARS || budget.left <= 0;
	return cut ? `${text.slice(0, RESULT_SUMMARY_CHARS)}…` : text;
}

function preview(text: string, chars: number, policy: RedactionPolicy): string {
	return policy.redactText(text.length > chars + MARGIN ? text.slice(0, chars + MARGIN) : text);
}

function write(
	value: unknown,
	out: string[],
	budget: { left: number },
	ancestors: object[],
	policy: RedactionPolicy,
): void {
	if (budget.left <= 0) return;
	// `append` is a function of its own rather than a closure: this runs for every value of a result.
	switch (typeof value) {
		case 'string':
			append(out, budget, JSON.stringify(preview(value, budget.left, policy)));
			return;
		case 'number':
		case 'boolean':
			append(out, budget, String(value));
			return;
		case 'bigint':
			append(out, budget, `"${value}"`);
			return;
		case 'undefined':
		case 'function':
		case 'symbol':
			append(out, budget, 'null');
			return;
	}
	if (value === null) return append(out, budget, 'null');
	const object = value as object;
	if (ancestors.includes(object) || ancestors.length > 16) return append(out, budget, '"[Circular]"');
	try {
		if (object instanceof Date)
			return append(
				out,
				budget,
				JSON.stringify(Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString()),
			);
		if (object instanceof Map || object instanceof Set || ArrayBuffer.isView(object))
			return append(out, budget, `"[${object.constructor.name}]"`);
		ancestors.push(object);
		if (Array.isArray(object)) {
			append(out, budget, '[');
			for (let i = 0; i < object.length && budget.left > 0; i++) {
				if (i > 0) append(out, budget, ',');
				write(object[i], out, budget, ancestors, policy);
			}
			append(out, budget, ']');
		} else {
			append(out, budget, '{');
			let first = true;
			for (const key in object) {
				if (!Object.hasOwn(object, key) || budget.left <= 0) continue;
				append(out, budget, `${first ? '' : ','}${JSON.stringify(key.length < 20 ? key : policy.redactText(key))}:`);
				first = false;
				const value: unknown = (object as Record<string, unknown>)[key];
				if (policy.isSecretKey(key) && !(typeof value === 'string' && policy.isPlaceholder(value)))
					append(out, budget, '"[REDACTED]"');
				else write(value, out, budget, ancestors, policy);
			}
			append(out, budget, '}');
		}
		ancestors.pop();
	} catch {
		append(out, budget, '"[Unreadable]"');
	}
}

function append(out: string[], budget: { left: number }, text: string): void {
	out.push(text);
	budget.left -= text.length;
}
