/**
 * What a tool call can do to the world, from least to most dangerous.
 * - `pure`: computes only (no I/O).
 * - `read`: reads state, changes nothing.
 * - `write`: changes state that can be changed back.
 * - `irreversible`: changes state for good (payments, deletes, emails). The default for unknown tools.
 */
export type SideEffect = 'pure' | 'read' | 'write' | 'irreversible';

/**
 * What toolwarden knows about one tool, registered in `WardenOptions.tools`.
 *
 * @example
 * ```ts
 * new Warden({ tools: {
 *   read_file: { sideEffect: 'read' },
 *   run: { shell: true },                 // its `command` arg is classified by classifyBash
 *   upload: { sideEffect: 'write', fileArg: 'source' },
 * } });
 * ```
 */
export interface ToolSpec {
	/**
	 * The tool's side-effect class.
	 * @default 'irreversible' (for shell tools: `classifyBash(command)`)
	 */
	readonly sideEffect?: SideEffect;
	/**
	 * Whether running the tool twice with the same args is the same as running it once.
	 * @default false
	 */
	readonly idempotent?: boolean;
	/**
	 * The tool runs a shell command taken from its `command` argument: the envelope's `bashCommand` is that command
	 * and its side effect is classified by `classifyBash`, unless `sideEffect` names a more restrictive class.
	 * @default false (true for tools named `Bash`, `bash`, `shell`)
	 */
	readonly shell?: boolean;
	/**
	 * The argument (or arguments) holding file paths the tool acts on, for args whose names the built-in rule does not
	 * recognise (e.g. `source`/`destination` of a move). Their values (a string or an array of strings) come first in
	 * the envelope's `filePaths`, before the paths found by name (`path`, `paths`, `file_path`, `*Path`, `*_dir`, ...,
	 * at any depth; see `ToolEnvelope.filePaths`).
	 * @default none: only the args found by name
	 * @example { move_file: { sideEffect: 'write', fileArg: ['source', 'destination'] } }
	 */
	readonly fileArg?: string | readonly string[];
}

/**
 * Who a call is made for. Copied (deep-frozen) into the envelope and, redacted, into audit events.
 *
 * @example
 * ```ts
 * await warden.run('refund', args, refund, { principal: { userId: 'u_42', role: 'support' } });
 * ```
 */
export interface Principal {
	readonly userId?: string;
	readonly serviceId?: string;
	readonly orgId?: string;
	readonly role?: string;
	/** Any further claims (from a JWT, an SSO session...). Secret-named keys are redacted in audit events. */
	readonly claims?: Readonly<Record<string, unknown>>;
}

/**
 * Per-call options of `run`, `wrap`, `begin` and the adapters.
 *
 * @example
 * ```ts
 * await warden.run('search', { q }, search, { sessionId: conversationId, principal: { userId } });
 * ```
 */
export interface CallOptions {
	/**
	 * The session this call belongs to: counters, limits and guard state are per session.
	 * @default the Warden's `sessionId`
	 */
	readonly sessionId?: string;
	/**
	 * The call's id, e.g. the framework's tool-call id.
	 * @default a random UUID
	 */
	readonly callId?: string;
	/** Id of the call that caused this one (a sub-agent's parent tool call). */
	readonly parentCallId?: string;
	readonly principal?: Principal;
	/**
	 * Overrides the Warden's environment for this call.
	 * @default the Warden's `environment`
	 */
	readonly environment?: string;
	/** Free-form context copied into the envelope and the audit events (redacted there). */
	readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * The frozen snapshot of one tool call that every hook and contract sees, and on whose `args` the tool runs.
 * Built by `createEnvelope` (the pipeline builds one per call). Deep-frozen: mutating it throws in strict mode.
 */
export interface ToolEnvelope<A extends object = Readonly<Record<string, unknown>>> {
	readonly toolName: string;
	/** A deep-frozen copy of the caller's args; see `createEnvelope` for how exotic values are handled. */
	readonly args: A;
	readonly callId: string;
	readonly sessionId: string;
	/** 1-based position of this call among the session's attempts (0 for envelopes built outside a Warden). */
	readonly callIndex: number;
	readonly parentCallId: string | null;
	/** `'irreversible'` unless declared; see {@link ToolEnvelope.sideEffectDeclared}. */
	readonly sideEffect: SideEffect;
	/**
	 * Whether `sideEffect` was declared: by the `tools` registry, `@tool`, an adapter's framework metadata (MCP tool
	 * annotations) or `classifyBash` for a shell tool. `false` for an unknown tool, whose `'irreversible'` is a
	 * cautious default: it counts as irreversible for limits and approvals, but the side-effect ledger never answers
	 * it with a recorded result (a poller always gets a fresh one).
	 */
	readonly sideEffectDeclared: boolean;
	readonly idempotent: boolean;
	readonly environment: string;
	/** When the envelope was built, ISO 8601. */
	readonly timestamp: string;
	readonly principal: Principal | null;
	/** The shell command, for shell tools; otherwise null. */
	readonly bashCommand: string | null;
	/** The first of `filePaths`, or null. */
	readonly filePath: string | null;
	/**
	 * Every path the call names, for any tool, as written in the args (not normalised): each string, or string in an
	 * array, under an arg named `path`, `paths`, `file`, `files`, `file_path`, `filePath`, `filename`, `fileName`,
	 * `dir`, `directory`, or ending in `_path`/`Path`/`_paths`/`Paths`/`_file`/`File`/`_dir`/`Dir`, at any depth,
	 * plus the args named by the tool's `fileArg` (those first). Without duplicates; empty when there is none.
	 *
	 * @example
	 * ```ts
	 * createEnvelope('read_multiple_files', { paths: ['a.txt', '/app/.env'] }).filePaths; // ['a.txt', '/app/.env']
	 * createEnvelope('upload', { meta: { source_file: 'x.bin' } }).filePaths;            // ['x.bin']
	 * ```
	 */
	readonly filePaths: readonly string[];
	readonly metadata: Readonly<Record<string, unknown>>;
}
