import { ConfigError } from '../errors/ConfigError.js';
import { checkKeys, checkLimit, checkOneOf } from '../_internal/validate.js';
import type { ChainKey } from './chainLine.js';

/**
 * When the sink asks the OS to put written lines on disk (`fsync`). What survives a power loss depends on it (see
 * docs/audit.md); a killed process (SIGKILL) loses nothing the OS accepted, whatever the policy.
 * - `never`: leave it to the OS (fastest; a machine crash can lose the last seconds);
 * - `close`: once, when the sink closes (and at each rotation);
 * - `batch`: after every batch write, before the lines count as written (durable at each flush; slowest).
 */
export type FsyncPolicy = 'never' | 'close' | 'batch';

/**
 * Hash-chain settings: `true` for a keyless chain (SHA-256; evidence against accidents and careless edits: anyone
 * who can write the file can recompute it), or `{ key }` for a keyed chain (HMAC-SHA-256: without the key nobody can
 * forge a line that verifies).
 *
 * @example
 * ```ts
 * new JsonlFileSink('audit.jsonl', { hashChain: { key: process.env.AUDIT_CHAIN_KEY! } });
 * ```
 */
export type HashChainOption = boolean | { readonly key: ChainKey };

/** Options of `JsonlFileSink`. */
export interface JsonlFileSinkOptions {
	/**
	 * Create the file's directory when it is missing.
	 * @default true
	 */
	readonly mkdir?: boolean;
	/**
	 * Rotate when the file would grow past this many bytes: `audit.jsonl` becomes `audit.jsonl.1`, `.1` becomes `.2`...
	 * At least 1024.
	 * @default Infinity (no rotation)
	 */
	readonly maxBytes?: number;
	/**
	 * Rotated files to keep (the oldest beyond this are deleted).
	 * @default 5
	 */
	readonly maxFiles?: number;
	/** @default 'close' */
	readonly fsync?: FsyncPolicy;
	/**
	 * Chain lines with `seq`, `prevHash` and `hash` over the exact bytes of the line, so edits, deletions, insertions
	 * and reorderings are detectable with `verifyAuditLog`. The chain continues across rotations, restarts and crashes.
	 * @default false
	 * @example
	 * ```ts
	 * new JsonlFileSink('audit.jsonl', { hashChain: { key: readFileSync('/run/secrets/audit-key') } });
	 * ```
	 */
	readonly hashChain?: HashChainOption;
	/**
	 * Most events waiting in memory for the disk. When full, the Warden's next governed call waits until the sink has
	 * written some (backpressure): nothing is dropped and memory stays bounded, even when tools never yield.
	 * @default 10_000
	 */
	readonly maxBufferedEvents?: number;
	/**
	 * Called as soon as events could not be written (a full disk, an I/O error, the file deleted or replaced while
	 * open), with how many and why. A Warden reports the same errors to its `onAuditError`.
	 * @default none
	 */
	readonly onError?: (error: Error) => void;
}

/** The options after validation. */
export interface ResolvedSinkOptions {
	readonly mkdir: boolean;
	readonly maxBytes: number;
	readonly maxFiles: number;
	readonly fsync: FsyncPolicy;
	readonly chain: false | { readonly key: ChainKey | undefined };
	readonly maxBufferedEvents: number;
	readonly onError: ((error: Error) => void) | undefined;
}

const KEYS = ['mkdir', 'maxBytes', 'maxFiles', 'fsync', 'hashChain', 'maxBufferedEvents', 'onError'];

export function resolveSinkOptions(options: JsonlFileSinkOptions): ResolvedSinkOptions {
	checkKeys(options, KEYS, 'JsonlFileSinkOptions');
	if (options.onError !== undefined && typeof options.onError !== 'function')
		throw new ConfigError('JsonlFileSinkOptions.onError must be a function.');
	const maxBytes = checkLimit(options.maxBytes, 'JsonlFileSinkOptions.maxBytes', Infinity);
	if (maxBytes < 1024) throw new ConfigError('JsonlFileSinkOptions.maxBytes must be at least 1024.');
	const maxBufferedEvents = checkLimit(options.maxBufferedEvents, 'JsonlFileSinkOptions.maxBufferedEvents', 10_000);
	if (maxBufferedEvents < 1 || maxBufferedEvents === Infinity)
		throw new ConfigError('JsonlFileSinkOptions.maxBufferedEvents must be a positive integer (memory stays bounded).');
	const maxFiles = checkLimit(options.maxFiles, 'JsonlFileSinkOptions.maxFiles', 5);
	if (maxFiles === Infinity) throw new ConfigError('JsonlFileSinkOptions.maxFiles must be finite.');
	return {
		mkdir: options.mkdir !== false,
		maxBytes,
		maxFiles,
		fsync:
			options.fsync === undefined
				? 'close'
				: checkOneOf(options.fsync, ['never', 'close', 'batch'] as const, 'JsonlFileSinkOptions.fsync'),
		chain: resolveChain(options.hashChain),
		maxBufferedEvents,
		onError: options.onError,
	};
}

function resolveChain(option: unknown): ResolvedSinkOptions['chain'] {
	if (option === undefined || option === false) return false;
	if (option === true) return { key: undefined };
	const { key } = checkKeys(option, ['key'], 'JsonlFileSinkOptions.hashChain');
	if ((typeof key === 'string' || Buffer.isBuffer(key)) && key.length > 0) return { key };
	throw new ConfigError(
		"JsonlFileSinkOptions.hashChain.key must be a non-empty string or Buffer (keep it out of the log's reach).",
	);
}
