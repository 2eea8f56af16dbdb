import { withDeclaredSpec } from '../../envelope/declaredSpec.js';
import type { ToolSpec } from '../../envelope/types.js';
import type { Warden } from '../../warden/Warden.js';
import { callOptions, type AdapterOptions } from '../shared/governedExecute.js';
import { runGoverned, toolArgs } from '../shared/runGoverned.js';
import type { DispatchField } from './mcpDispatch.js';
import { sideEffectFromAnnotations } from './sideEffectFromAnnotations.js';

/** Runs one tool call of a governed server: `original` is the SDK's handler or executor, `params` what it was given. */
export type ToolRunner = (
	tool: object,
	original: (...params: unknown[]) => unknown,
	params: unknown[],
) => Promise<unknown>;

/** A tool result the model reads: the denial reason, flagged as an error so the model adapts. */
export function deniedResult(reason: string): { content: Array<{ type: 'text'; text: string }>; isError: true } {
	return { content: [{ type: 'text', text: reason }], isError: true };
}

/** The text of an MCP tool result, for errors and audit. */
export function resultText(result: unknown): string {
	const content = (result as { content?: Array<{ type?: string; text?: string }> } | null)?.content;
	if (!Array.isArray(content)) return '';
	return content.map((part) => (part.type === 'text' ? (part.text ?? '') : `[${part.type ?? 'content'}]`)).join('\n');
}

/**
 * What a tool's annotations declare. Only hints that are present declare anything: a tool without `readOnlyHint` and
 * `destructiveHint` stays unknown (irreversible by default, never replayed by the side-effect ledger).
 */
export function specFromAnnotations(annotations: unknown): ToolSpec | undefined {
	if (typeof annotations !== 'object' || annotations === null) return undefined;
	const hints = annotations as { readOnlyHint?: unknown; destructiveHint?: unknown; idempotentHint?: unknown };
	if (typeof hints.readOnlyHint !== 'boolean' && typeof hints.destructiveHint !== 'boolean') return undefined;
	return {
		sideEffect: sideEffectFromAnnotations(annotations),
		...(hints.idempotentHint === true ? { idempotent: true } : {}),
	};
}

/** The request id of a call: `extra.requestId` in SDK v1, `ctx.mcpReq.id` in v2. */
function requestIdOf(extra: unknown): string | undefined {
	const e = extra as { requestId?: unknown; mcpReq?: { id?: unknown } } | undefined;
	const id = e?.requestId ?? e?.mcpReq?.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * The runner behind every governed tool of one server. SDK v1 calls `handler(args, extra)`, or `handler(extra)` for a
 * tool without input schema; SDK v2 calls `executor(args, ctx)` in both cases (args undefined without a schema).
 */
export function governedToolRunner(
	warden: Warden,
	field: DispatchField,
	options: AdapterOptions | undefined,
	nameOf: (tool: object) => string,
): ToolRunner {
	return async (tool, original, params) => {
		const withArgs = field === 'executor' || (tool as { inputSchema?: unknown }).inputSchema !== undefined;
		const extra = params[withArgs ? 1 : 0];
		const given = withArgs ? params[0] : undefined;
		const args = toolArgs(given);
		const declared = specFromAnnotations((tool as { annotations?: unknown }).annotations);
		const call = await warden.begin(
			nameOf(tool),
			args,
			withDeclaredSpec(callOptions(options, requestIdOf(extra)), declared),
		);
		const runArgs = (frozen: object) => (typeof given === 'object' && given !== null ? frozen : given);
		return runGoverned(call, (frozen) => (withArgs ? original(runArgs(frozen), extra) : original(extra)), {
			denied: options?.onDenied ?? ((denial) => deniedResult(denial.reason)),
			failureOf: (result) =>
				(result as { isError?: unknown } | null)?.isError === true
					? new Error(resultText(result) || 'The tool returned an error result.')
					: undefined,
		});
	};
}
