import { hasSideEffect } from '../../../envelope/hasSideEffect.js';
import { registerToolHint } from '../../../warden/toolHints.js';
import type { GovernedCall } from '../../../warden/GovernedCall.js';
import type { Warden } from '../../../warden/Warden.js';
import { sideEffectFromAnnotations } from '../sideEffectFromAnnotations.js';
import { ClientRequests } from './ClientRequests.js';
import { decideToolCall, resultText, ToolCallAbandoned, ToolCallCancelled, UpstreamError } from './decideToolCall.js';
import type { Channel, JsonRpcMessage } from './LineChannel.js';

/** The upstream server's identity from its `initialize` answer, copied into every audit event's metadata. */
export interface ServerIdentity {
	readonly name: string;
	readonly version: string;
}

/** How the gateway settles held calls. */
export interface HoldSettings {
	/** Who approvals given in the client's elicitation prompt are recorded as. */
	readonly approver: string;
	/** The policy's path, named in the command a denial of a held call suggests. */
	readonly policy: string;
}

interface PendingCall {
	/** Undefined while the call is being governed. */
	call: GovernedCall<object> | undefined;
	/** Set once the call's outcome is audited (a late response to a cancelled call is then only forwarded). */
	settled: boolean;
	/** Why the call ended before it was forwarded (cancelled or abandoned while being governed). */
	stopped: Error | undefined;
	/** Aborted with `stopped`: a question put to the client's user for a held call is withdrawn. */
	readonly abort: AbortController;
}

type Id = string | number;

function isId(id: unknown): id is Id {
	return typeof id === 'string' || typeof id === 'number';
}

/** Request ids are strings or numbers; `1` and `'1'` are different requests. */
function keyOf(id: Id): string {
	return typeof id === 'number' ? `n${id}` : `s${id}`;
}

/**
 * A message-level MCP proxy between one client and one upstream server. Every message passes both ways as received
 * (the same JSON text on stdio), except a `tools/call` request, which is governed first: a denied call is answered
 * by the gateway, an allowed one is forwarded unchanged and audited when its response, cancellation or the end comes.
 * The gateway's only requests of its own are elicitations for held calls, sent to the client under ids of their own
 * (see {@link ClientRequests}); the client's answers to them stay in the gateway.
 */
export class GatewayProxy {
	readonly #warden: Warden;
	readonly #client: Channel;
	readonly #upstream: Channel;
	readonly #calls = new Map<string, PendingCall>();
	readonly #lists = new Set<string>();
	readonly #settling = new Set<Promise<unknown>>();
	readonly #asks: ClientRequests;
	readonly #hold: HoldSettings;
	/** Whether the client declared form elicitation in its `initialize`. */
	#canElicit = false;
	#initialize: string | undefined;
	#server: ServerIdentity = { name: 'unknown', version: 'unknown' };
	/** Called when a request cannot reach the upstream at all (an unreachable HTTP server). */
	onUpstreamFailure?: (error: unknown, method: string) => void;

	constructor(warden: Warden, client: Channel, upstream: Channel, hold: HoldSettings) {
		this.#warden = warden;
		this.#hold = hold;
		this.#asks = new ClientRequests(client);
		this.#client = client;
		this.#upstream = upstream;
		client.onmessage = (message, raw) => this.#fromClient(message, raw);
		upstream.onmessage = (message, raw) => this.#fromUpstream(message, raw);
	}

	/** The upstream's identity once it answered `initialize`. */
	get server(): ServerIdentity {
		return this.#server;
	}

	/** Audits every call still in flight as failed with `reason`, and waits for the audit of all calls. */
	async abandon(reason: string): Promise<void> {
		for (const pending of this.#calls.values()) {
			if (pending.call === undefined) this.#stop(pending, new ToolCallAbandoned(reason));
			else void this.#settle(pending, new ToolCallAbandoned(reason));
		}
		this.#calls.clear();
		while (this.#settling.size > 0) await Promise.all([...this.#settling]);
	}

	#fromClient(message: JsonRpcMessage, raw: string | undefined): void {
		const { method, id } = message;
		if (method === 'tools/call' && isId(id)) {
			void this.#track(this.#govern(message, raw, id));
			return;
		}
		if (this.#asks.owns(message)) {
			this.#asks.answer(message);
			return;
		}
		if (isId(id) && method === 'tools/list') this.#lists.add(keyOf(id));
		else if (isId(id) && method === 'initialize') this.#learnClient(id, message['params']);
		else if (method === 'notifications/cancelled') this.#cancel(message['params']);
		this.#toUpstream(message, raw);
	}

	#fromUpstream(message: JsonRpcMessage, raw: string | undefined): void {
		const { id } = message;
		if (message['method'] === undefined && isId(id)) {
			const key = keyOf(id);
			const pending = this.#calls.get(key);
			if (pending !== undefined) {
				this.#calls.delete(key);
				// The response waits for its audit, so the next call is governed against an up-to-date session.
				if (pending.call !== undefined && !pending.settled) {
					const settled = this.#settle(pending, message);
					void this.#track(settled.then(() => this.#client.send(message, raw)));
					return;
				}
			} else if (this.#lists.delete(key)) {
				this.#learnAnnotations(message['result']);
			} else if (key === this.#initialize) {
				this.#initialize = undefined;
				this.#learnServer(message['result']);
			}
		}
		void this.#client.send(message, raw);
	}

	async #govern(message: JsonRpcMessage, raw: string | undefined, id: Id): Promise<void> {
		const key = keyOf(id);
		const params = message['params'] as { name?: unknown; arguments?: unknown } | undefined;
		const args = params?.arguments ?? {};
		if (typeof params?.name !== 'string' || typeof args !== 'object' || args === null || Array.isArray(args)) {
			const error = {
				code: -32602,
				message: 'Invalid params: tools/call needs a string "name" and an object "arguments".',
			};
			await this.#client.send({ jsonrpc: '2.0', id, error });
			return;
		}
		const pending: PendingCall = { call: undefined, settled: false, stopped: undefined, abort: new AbortController() };
		this.#calls.set(key, pending);
		let decision: Awaited<ReturnType<typeof decideToolCall>>;
		try {
			const options = { callId: String(id), metadata: { mcpServer: this.#server } };
			decision = await decideToolCall(this.#warden, params.name, args, options, {
				...this.#hold,
				elicit: this.#canElicit
					? (request, signal) => this.#asks.request('elicitation/create', request, signal)
					: undefined,
				signal: pending.abort.signal,
			});
		} catch (error) {
			// Governance itself broke (not a denial): fail closed, the upstream never sees the call.
			this.#calls.delete(key);
			await this.#client.send({
				jsonrpc: '2.0',
				id,
				error: { code: -32603, message: `toolwarden-mcp: ${errorText(error)}` },
			});
			return;
		}
		if (!decision.forward) {
			this.#calls.delete(key);
			if (pending.stopped === undefined) await this.#client.send({ jsonrpc: '2.0', id, result: decision.result });
			return;
		}
		pending.call = decision.call;
		if (pending.stopped !== undefined) {
			// Cancelled (or the gateway stopped) while it was being governed: it never reaches the upstream.
			this.#calls.delete(key);
			await this.#settle(pending, pending.stopped);
			return;
		}
		this.#toUpstream(message, raw);
	}

	#cancel(params: unknown): void {
		const { requestId, reason } = (params ?? {}) as { requestId?: unknown; reason?: unknown };
		if (!isId(requestId)) return;
		const pending = this.#calls.get(keyOf(requestId));
		if (pending === undefined) return;
		const cancelled = new ToolCallCancelled(
			`Cancelled by the client${typeof reason === 'string' && reason !== '' ? `: ${reason}` : ''}.`,
		);
		if (pending.call === undefined) {
			this.#stop(pending, cancelled);
			return;
		}
		// A late response to the cancelled request is still forwarded (the client ignores it), not audited again.
		this.#calls.delete(keyOf(requestId));
		void this.#settle(pending, cancelled);
	}

	/** Audits the outcome of a forwarded call once: a response message, or the error that ended it. */
	#settle(pending: PendingCall, outcome: JsonRpcMessage | Error): Promise<unknown> {
		const call = pending.call;
		if (call === undefined || pending.settled) return Promise.resolve();
		pending.settled = true;
		let done: Promise<unknown>;
		if (outcome instanceof Error) {
			// The request was sent: a write may have happened although the call did not complete.
			done = call.fail(outcome, {
				sideEffectExecuted: hasSideEffect(call.envelope),
			});
		} else if (outcome['error'] !== undefined) {
			const { code, message } = outcome['error'] as { code?: unknown; message?: unknown };
			done = call.fail(new UpstreamError(`MCP error ${String(code)}: ${String(message)}`));
		} else {
			const result = (outcome['result'] ?? {}) as Record<string, unknown>;
			done =
				result['isError'] === true
					? call.fail(new Error(resultText(result) || 'The upstream tool returned an error result.'))
					: call.succeed(result);
		}
		return this.#track(done.catch(() => undefined));
	}

	#toUpstream(message: JsonRpcMessage, raw: string | undefined): void {
		this.#upstream.send(message, raw).catch((error: unknown) => this.#unreachable(message, error));
	}

	#unreachable(message: JsonRpcMessage, error: unknown): void {
		const { id, method } = message;
		this.onUpstreamFailure?.(error, String(method));
		if (!isId(id) || typeof method !== 'string') return;
		const pending = this.#calls.get(keyOf(id));
		this.#calls.delete(keyOf(id));
		if (pending !== undefined)
			void this.#settle(pending, new ToolCallAbandoned(`The upstream server is unreachable: ${errorText(error)}`));
		const reply = { code: -32603, message: `toolwarden-mcp could not reach the upstream server: ${errorText(error)}` };
		void this.#client.send({ jsonrpc: '2.0', id, error: reply });
	}

	/** A call not yet forwarded ends with `why`: it will not reach the upstream, and nobody waits for an answer. */
	#stop(pending: PendingCall, why: Error): void {
		pending.stopped ??= why;
		pending.abort.abort(why);
	}

	/** Notes the client's `initialize`: its answer names the server, its capabilities say whether it can be asked. */
	#learnClient(id: Id, params: unknown): void {
		this.#initialize = keyOf(id);
		const elicitation = (params as { capabilities?: { elicitation?: unknown } } | undefined)?.capabilities?.elicitation;
		// An empty `elicitation` object means form mode (the spec's backward compatibility); URL mode alone cannot ask.
		this.#canElicit =
			typeof elicitation === 'object' && elicitation !== null && ('form' in elicitation || !('url' in elicitation));
	}

	#learnAnnotations(result: unknown): void {
		const tools = (result as { tools?: unknown } | undefined)?.tools;
		if (!Array.isArray(tools)) return;
		for (const tool of tools as Array<{ name?: unknown; annotations?: unknown }>) {
			if (typeof tool?.name === 'string')
				registerToolHint(this.#warden, tool.name, { sideEffect: sideEffectFromAnnotations(tool.annotations) });
		}
	}

	#learnServer(result: unknown): void {
		const info = (result as { serverInfo?: { name?: unknown; version?: unknown } } | undefined)?.serverInfo;
		if (typeof info?.name === 'string')
			this.#server = { name: info.name, version: typeof info.version === 'string' ? info.version : 'unknown' };
	}

	#track<T>(promise: Promise<T>): Promise<T> {
		this.#settling.add(promise);
		void promise.finally(() => this.#settling.delete(promise)).catch(() => undefined);
		return promise;
	}
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
