import { ConfigError } from '../../errors/ConfigError.js';
import type { ToolEnvelope } from '../../envelope/types.js';
import { checkKeys } from '../../_internal/validate.js';
import type { Contract, ContractOptions } from '../Contract.js';
import { precondition } from '../precondition.js';
import { Verdict } from '../Verdict.js';

/** Options of {@link denySensitiveReads}. */
export interface DenySensitiveReadsOptions extends Pick<ContractOptions, 'mode' | 'name'> {
	/**
	 * Path patterns that are secret. Each is tested against the normalised path (`\` as `/`, `~` and `$HOME` kept),
	 * anywhere in it. Added to the defaults unless `replaceDefaults`.
	 * @default .env files, .ssh/, cloud credential files (.aws/credentials, gcloud, azure), .netrc, .npmrc, .pypirc, .docker/config.json, kube config, private keys (id_rsa, *.pem, *.key), /proc/<pid>/environ, /etc/shadow
	 */
	readonly patterns?: readonly RegExp[];
	/** @default false */
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

/** File paths mentioned in a shell command, compound ones included (every word that looks like a path). */
function pathsInCommand(command: string): string[] {
	return command
		.split(/[\s;|&<>()`"']+/)
		.map((word) => word.replace(/^\$\{?HOME\}?/, '~'))
		.filter((word) => word.includes('/') || word.startsWith('.') || word.startsWith('~') || /\.(pem|key|env)$/i.test(word) || /^id_/.test(word));
}

/**
 * Denies reads of secret files: `.env` files (relative or absolute), `~/.ssh`, cloud credential files, private keys,
 * `/proc/*\/environ`, ... for any tool whose envelope has a `filePath`, and for shell commands, compound ones
 * included (`cd /app && cat .env`). The denial tells the agent to ask for the value it needs instead.
 *
 * @example
 * ```ts
 * new Warden({ contracts: [denySensitiveReads({ patterns: [/secrets\.ya?ml$/] })] });
 * ```
 */
export function denySensitiveReads(options: DenySensitiveReadsOptions = {}): Contract {
	const o = checkKeys(options, ['patterns', 'replaceDefaults', 'mode', 'name'], 'denySensitiveReads options');
	const extra = o['patterns'] ?? [];
	if (!Array.isArray(extra) || extra.some((p) => !(p instanceof RegExp))) throw new ConfigError('denySensitiveReads options.patterns must be an array of RegExp.');
	const patterns = [...(o['replaceDefaults'] === true ? [] : DEFAULT_PATTERNS), ...(extra as RegExp[])].map((p) => new RegExp(p.source, p.flags.replace('g', '')));
	const sensitive = (path: string) => {
		const normal = path.replace(/\\/g, '/').replace(/\/+$/, '');
		return patterns.some((p) => p.test(normal));
	};
	return precondition(
		'*',
		(call: ToolEnvelope) => {
			const paths = [...(call.filePath === null ? [] : [call.filePath]), ...(call.bashCommand === null ? [] : pathsInCommand(call.bashCommand))];
			const hit = paths.find(sensitive);
			return hit === undefined
				? Verdict.pass()
				: Verdict.fail(`Reading "${hit}" is not allowed: it holds credentials or secrets. Ask the user for the specific non-secret value you need instead.`, { path: hit });
		},
		{ name: (o['name'] as string | undefined) ?? 'denySensitiveReads', when: (call) => call.filePath !== null || call.bashCommand !== null, ...(o['mode'] === undefined ? {} : { mode: o['mode'] as 'enforce' | 'observe' }) },
	);
}
