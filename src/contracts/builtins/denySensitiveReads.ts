import { ConfigError } from '../../errors/ConfigError.js';
import type { ToolEnvelope } from '../../envelope/types.js';
import { checkKeys } from '../../_internal/validate.js';
import type { Contract, ContractOptions } from '../Contract.js';
import { precondition } from '../precondition.js';
import { Verdict } from '../Verdict.js';
import { lexicalForms, realForm } from './pathForms.js';

/** Options of {@link denySensitiveReads}. */
export interface DenySensitiveReadsOptions extends Pick<ContractOptions, 'mode' | 'name'> {
	/**
	 * Path patterns that are secret. Each is tested against every form of a path: as written (`\` as `/`, `$HOME` as
	 * `~`), normalised (`.`/`..`, repeated and trailing slashes collapsed), with `~` expanded, and, for a path that
	 * exists, its real path (symlinks resolved). Added to the defaults unless `replaceDefaults`.
	 * @default .env files, .ssh/, cloud credential files (.aws/credentials, gcloud, azure), .netrc, .npmrc,
	 * .pypirc, .docker/config.json, kube config, private keys (id_rsa, *.pem, *.key), /proc/<pid>/environ, /etc/shadow
	 */
	readonly patterns?: readonly RegExp[];
	/**
	 * Use only `patterns`, not the defaults.
	 * @default false
	 */
	readonly replaceDefaults?: boolean;
}

const DEFAULT_PATTERNS: readonly RegExp[] = [
	/(^|\/)\.env(\.[\w.-]+)?$/i,
	/(^|\/)\.ssh(\/|$)/,
	/(^|\/)\.aws\/(credentials|config)$/,
	/(^|\/)\.config\/gcloud(\/|$)/,
	/(^|\/)\.azure(\/|$)/,
	/(^|\/)\.kube\/config$/,
	/(^|\/)\.docker\/config\.json$/,
	/(^|\/)\.(netrc|npmrc|pypirc|pgpass|git-credentials)$/,
	/(^|\/)id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/,
	/\.(pem|key|p12|pfx|keystore|jks)$/i,
	/^\/proc\/(\d+|self|thread-self)\/environ$/,
	/^\/etc\/(shadow|gshadow|sudoers)$/,
];

/** Words of a shell command, compound ones included, options left out. */
function wordsOf(command: string): string[] {
	return command.split(/[\s;|&<>()`"'=]+/).filter((word) => word !== '' && !word.startsWith('-'));
}

/** A word that names a path by its look alone. */
function looksLikePath(word: string): boolean {
	return (
		/[/~]/.test(word) ||
		word.startsWith('$') ||
		word.startsWith('.') ||
		/\.(pem|key|env)$/i.test(word) ||
		word.startsWith('id_')
	);
}

/** At most this many words of one command are resolved on disk (a file name such as `notes.txt` may be a link). */
const MAX_RESOLVED_WORDS = 32;

/**
 * Denies reads of secret files: `.env` files (relative or absolute), `~/.ssh`, cloud credential files, private keys,
 * `/proc/*\/environ`, ... named by any of a call's `filePaths` (any tool: `path`, `paths`, `*_file`, ... at any depth,
 * and the tool's `fileArg`), and in shell commands, compound ones included (`cd /app && cat .env`). Each path is
 * checked as written, normalised (`~`, `$HOME`, `.`/`..`, repeated slashes) and, when it exists on this machine, by
 * its real path: a symlink `notes.txt -> .env` is denied. The denial tells the agent to ask for the value instead.
 *
 * A heuristic guard rail, not a sandbox: a path built at run time by the tool, a relative path resolved against
 * another working directory than this process's, or a file copied elsewhere first is not seen. See
 * `docs/threat-model.md`.
 *
 * @example
 * ```ts
 * new Warden({ contracts: [denySensitiveReads({ patterns: [/secrets\.ya?ml$/] })] });
 * ```
 */
export function denySensitiveReads(options: DenySensitiveReadsOptions = {}): Contract {
	const o = checkKeys(options, ['patterns', 'replaceDefaults', 'mode', 'name'], 'denySensitiveReads options');
	const extra = o['patterns'] ?? [];
	if (!Array.isArray(extra) || extra.some((p) => !(p instanceof RegExp))) {
		throw new ConfigError('denySensitiveReads options.patterns must be an array of RegExp.');
	}
	const patterns = [...(o['replaceDefaults'] === true ? [] : DEFAULT_PATTERNS), ...(extra as RegExp[])].map(
		(p) => new RegExp(p.source, p.flags.replace('g', '')),
	);
	const sensitive = (path: string) => lexicalForms(path).some((form) => patterns.some((p) => p.test(form)));
	const denial = (path: string, real?: string) =>
		Verdict.fail(
			`Reading "${path}"${real === undefined ? '' : ` (${real})`} is not allowed: it holds credentials or secrets. ` +
				'Ask the user for the specific non-secret value you need instead.',
			real === undefined ? { path } : { path, realPath: real },
		);

	const check = (call: ToolEnvelope): Verdict | Promise<Verdict> => {
		const words = call.bashCommand === null ? [] : wordsOf(call.bashCommand);
		const named = words.length === 0 ? call.filePaths : [...call.filePaths, ...words.filter(looksLikePath)];
		// Cheap first: the paths as written and normalised. Only when none matches is the disk asked.
		const hit = named.find(sensitive);
		if (hit !== undefined) return denial(hit);
		const toResolve = [...new Set([...call.filePaths, ...words.slice(0, MAX_RESOLVED_WORDS)])];
		return Promise.all(toResolve.map(realForm)).then((reals) => {
			const index = reals.findIndex((real) => real !== undefined && sensitive(real));
			return index === -1 ? Verdict.pass() : denial(toResolve[index] ?? '', reals[index]);
		});
	};
	return precondition('*', check, {
		name: (o['name'] as string | undefined) ?? 'denySensitiveReads',
		when: (call) => call.filePaths.length > 0 || call.bashCommand !== null,
		...(o['mode'] === undefined ? {} : { mode: o['mode'] as 'enforce' | 'observe' }),
	});
}
