import { REDACTED } from './marker.js';

/** Counts what a redaction walk produced (to bound the serialised size without serialising) and what it spent. */
export interface SizeTally {
	chars: number;
	/** What is left of the event's redaction budget; set by the first walk over the tally. */
	budget?: RedactionBudget;
}

/**
 * What one event's redaction may still spend, whatever its shape: characters scanned and keys or items walked. Once
 * spent, the rest is replaced by a marker that says so, never written out unscanned.
 */
export interface RedactionBudget {
	chars: number;
	nodes: number;
}

/** What the walk needs from the policy. */
export interface WalkRules {
	readonly maxArrayItems: number;
	redactText(text: string): string;
	isSecretKey(key: string): boolean;
	isPlaceholder(value: string): boolean;
}

const MAX_DEPTH = 32;
/** Keys shorter than this cannot hold a secret format (the shortest is 20 characters): they skip the text rules. */
const KEY_SCAN_LENGTH = 20;
const SPENT = 'redaction budget spent';
const CUT_MARGIN = 512;

/** A redacted, JSON-safe deep copy of `value` (see `RedactionPolicy.redact`). */
export function walk(rules: WalkRules, value: unknown, tally: SizeTally, budget: RedactionBudget): unknown {
	return walkValue(rules, value, tally, budget, 0, []);
}

function walkValue(
	rules: WalkRules,
	value: unknown,
	tally: SizeTally,
	budget: RedactionBudget,
	depth: number,
	ancestors: object[],
): unknown {
	switch (typeof value) {
		case 'string':
			return walkString(rules, value, tally, budget);
		case 'number':
		case 'boolean':
			tally.chars += 8;
			return value;
		case 'undefined':
			return undefined;
		case 'bigint':
			tally.chars += 20;
			return value.toString();
		case 'symbol':
			return walkString(rules, value.toString(), tally, budget);
		case 'function':
			return walkString(rules, `[Function ${value.name || 'anonymous'}]`, tally, budget);
	}
	if (value === null) {
		tally.chars += 4;
		return null;
	}
	const object = value as object;
	if (ancestors.includes(object)) return '[Circular]';
	if (depth >= MAX_DEPTH) return '[Truncated]';
	const mark = ancestors.length;
	try {
		if (object instanceof Date)
			return walkString(rules, Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString(), tally, budget);
		if (object instanceof Error)
			return walkValue(rules, { name: object.name, message: object.message }, tally, budget, depth, ancestors);
		if (object instanceof Map || object instanceof Set) return `[${object.constructor.name}(${object.size})]`;
		if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer)
			return `[${object.constructor.name}(${object.byteLength} bytes)]`;
		ancestors.push(object);
		const out = Array.isArray(object)
			? walkArray(rules, object, tally, budget, depth, ancestors)
			: walkObject(rules, object, tally, budget, depth, ancestors);
		ancestors.pop();
		return out;
	} catch {
		// A Proxy or exotic object that throws while being read: say so, never crash the audit path.
		ancestors.length = mark;
		return '[Unreadable]';
	}
}

function walkString(rules: WalkRules, value: string, tally: SizeTally, budget: RedactionBudget): string {
	let text: string;
	if (budget.chars <= 0) text = `[TRUNCATED ${value.length} chars: ${SPENT}]`;
	else {
		const cut = value.length > budget.chars;
		// Scan a little past the cut, so a secret straddling it is recognised whole before the cut.
		text = rules.redactText(cut ? value.slice(0, budget.chars + CUT_MARGIN) : value);
		if (cut) text = `${text.slice(0, budget.chars)}…[TRUNCATED ${value.length - budget.chars} chars: ${SPENT}]`;
		budget.chars -= value.length;
	}
	tally.chars += text.length + 2;
	return text;
}

function walkArray(
	rules: WalkRules,
	array: readonly unknown[],
	tally: SizeTally,
	budget: RedactionBudget,
	depth: number,
	ancestors: object[],
): unknown[] {
	const kept = Math.min(array.length, rules.maxArrayItems, Math.max(0, budget.nodes));
	budget.nodes -= kept + 1;
	const out: unknown[] = new Array<unknown>(kept);
	for (let i = 0; i < kept; i++) {
		const item = walkValue(rules, array[i], tally, budget, depth + 1, ancestors);
		out[i] = item === undefined ? null : item;
	}
	if (array.length > kept)
		out.push(`…[TRUNCATED ${array.length - kept} items${kept < rules.maxArrayItems ? `: ${SPENT}` : ''}]`);
	tally.chars += kept + 2;
	return out;
}

function walkObject(
	rules: WalkRules,
	object: object,
	tally: SizeTally,
	budget: RedactionBudget,
	depth: number,
	ancestors: object[],
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key in object) {
		if (!Object.hasOwn(object, key)) continue;
		if (--budget.nodes < 0) {
			out['…'] = `[TRUNCATED: ${SPENT}, more keys not shown]`;
			break;
		}
		let raw: unknown;
		try {
			raw = (object as Record<string, unknown>)[key];
		} catch {
			raw = '[Unreadable]';
		}
		let redacted: unknown;
		if (rules.isSecretKey(key) && !(typeof raw === 'string' && rules.isPlaceholder(raw))) {
			redacted = REDACTED;
			tally.chars += REDACTED.length + 2;
		} else {
			redacted = walkValue(rules, raw, tally, budget, depth + 1, ancestors);
			if (redacted === undefined) continue;
		}
		// A key can be a secret too (a token used as a map key): long keys pass the text rules.
		const name = key.length < KEY_SCAN_LENGTH ? key : rules.redactText(key);
		tally.chars += name.length + 4;
		if (name === '__proto__')
			Object.defineProperty(out, name, { value: redacted, enumerable: true, writable: true, configurable: true });
		else out[name] = redacted;
	}
	return out;
}
