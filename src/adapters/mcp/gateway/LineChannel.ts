import type { Readable, Writable } from 'node:stream';

/** A JSON-RPC message as the gateway sees it: parsed for routing, forwarded as received. */
export type JsonRpcMessage = Record<string, unknown>;

/** One side of the proxy: where messages arrive and where they are sent. */
export interface Channel {
	/** Sends a message; `raw` (its exact JSON text) is written as is when given, so nothing is re-encoded. */
	send(message: JsonRpcMessage, raw?: string): Promise<void>;
	onmessage?: (message: JsonRpcMessage, raw: string | undefined) => void;
	/** The other side went away (EOF, a closed pipe, a dead process). */
	onclose?: () => void;
	close(): Promise<void>;
}

/**
 * Newline-delimited JSON-RPC over a pair of streams (the MCP stdio transport), with no size limit of its own: a line
 * is collected as a list of chunks and decoded once, so a 50 MB message costs one copy, not one per chunk. A line
 * that is not JSON is dropped (as the SDK does); the peer's own timeout covers the lost request. A batch is split.
 */
export class LineChannel implements Channel {
	onmessage?: (message: JsonRpcMessage, raw: string | undefined) => void;
	onclose?: () => void;
	readonly #input: Readable;
	readonly #output: Writable;
	#pending: Buffer[] = [];
	#closed = false;

	constructor(input: Readable, output: Writable) {
		this.#input = input;
		this.#output = output;
		input.on('data', (chunk: Buffer) => this.#read(chunk));
		input.on('end', () => this.#end());
		input.on('close', () => this.#end());
		input.on('error', () => this.#end());
		// A client that died leaves a broken pipe: that is a disconnect, not a crash.
		output.on('error', () => this.#end());
	}

	send(message: JsonRpcMessage, raw?: string): Promise<void> {
		if (this.#closed || this.#output.writableEnded || this.#output.destroyed) return Promise.resolve();
		const text = `${raw ?? JSON.stringify(message)}\n`;
		return new Promise((resolve) => {
			// Resolved on the write's callback so a caller can wait for a response to leave before exiting.
			this.#output.write(text, () => resolve());
		});
	}

	close(): Promise<void> {
		this.#closed = true;
		this.#input.pause();
		return Promise.resolve();
	}

	#read(chunk: Buffer): void {
		let start = 0;
		let newline = chunk.indexOf(10);
		while (newline !== -1) {
			this.#pending.push(chunk.subarray(start, newline));
			const line = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
			this.#pending = [];
			this.#deliver(line.toString('utf8'));
			start = newline + 1;
			newline = chunk.indexOf(10, start);
		}
		if (start < chunk.length) this.#pending.push(chunk.subarray(start));
	}

	#deliver(text: string): void {
		const line = text.endsWith('\r') ? text.slice(0, -1) : text;
		if (line.trim() === '' || this.#closed) return;
		let message: unknown;
		try {
			message = JSON.parse(line);
		} catch {
			return;
		}
		if (Array.isArray(message)) {
			// A JSON-RPC batch (protocol 2025-03-26): each message is routed (and a tools/call governed) on its own.
			for (const item of message as unknown[]) if (isObject(item)) this.onmessage?.(item, undefined);
			return;
		}
		if (isObject(message)) this.onmessage?.(message, line);
	}

	#end(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.onclose?.();
	}
}

function isObject(value: unknown): value is JsonRpcMessage {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
