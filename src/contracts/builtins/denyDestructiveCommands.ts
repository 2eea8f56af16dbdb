import { ConfigError } from '../../errors/ConfigError.js';
import type { ToolEnvelope } from '../../envelope/types.js';
import { checkKeys } from '../../_internal/validate.js';
import type { Contract, ContractOptions } from '../Contract.js';
import { precondition } from '../precondition.js';
import { Verdict } from '../Verdict.js';

/** A destructive command form, with what to tell the agent. */
export interface DestructivePattern {
	readonly pattern: RegExp;
	readonly message: string;
}

/** Options of {@link denyDestructiveCommands}. */
export interface DenyDestructiveCommandsOptions extends Pick<ContractOptions, 'mode' | 'name'> {
	/**
	 * Branches `git push --force` must never target.
	 * @default ['main', 'master', 'production', 'release']
	 */
	readonly protectedBranches?: readonly string[];
	/** More forms to deny, each tested against every segment of a compound command. */
	readonly patterns?: readonly DestructivePattern[];
}

const ROOTISH = String.raw`(?:\/|\/\*|~|~\/|~\/\*|\$HOME|\$\{HOME\}|\/(?:bin|boot|dev|etc|home|lib|lib64|opt|root|sbin|srv|usr|var)\/?)`;

const DEFAULTS: readonly DestructivePattern[] = [
	{
		pattern: new RegExp(
			String.raw`\brm\s+(?:-[a-zA-Z]*\s+|--[a-z-]+\s+)*(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?:\s+(?:-[a-zA-Z]+|--[a-z-]+))*\s+(?:"|')?${ROOTISH}(?:"|')?(?:\s|$)`,
		),
		message:
			'Recursive deletion of the root, home or a system directory is not allowed. Delete only the specific files you created, by path.',
	},
	{ pattern: /--no-preserve-root/, message: 'rm --no-preserve-root is never allowed.' },
	{
		pattern: /\bmkfs(\.\w+)?\b|\bwipefs\b|\bfdisk\b|\bparted\b/,
		message: 'Creating or wiping filesystems is not allowed. Ask the user to do disk operations.',
	},
	{ pattern: /\bdd\b[^\n]*\bof=\/dev\/(?!null\b)/, message: 'Writing to block devices with dd is not allowed.' },
	{ pattern: />\s*\/dev\/(sd|nvme|hd|vd|xvd|disk|mmcblk)/, message: 'Writing to a disk device is not allowed.' },
	{
		pattern: /:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:|\b(\w+)\(\)\s*\{\s*\1\s*\|\s*\1\s*&\s*\}/,
		message: 'Fork bombs are not allowed.',
	},
	{
		pattern: new RegExp(
			String.raw`\bchmod\s+(?:-[a-zA-Z]*R[a-zA-Z]*\s+|--recursive\s+)(?:0?777|a\+rwx)\s+${ROOTISH}(?:\s|$)`,
		),
		message: 'Making the root or system directories world-writable is not allowed.',
	},
	{
		pattern: new RegExp(String.raw`\bchown\s+(?:-[a-zA-Z]*R[a-zA-Z]*\s+|--recursive\s+)\S+\s+${ROOTISH}(?:\s|$)`),
		message: 'Recursively changing ownership of system directories is not allowed.',
	},
	{
		pattern: /\b(curl|wget|fetch)\b[^|]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b|\b(ba|z)?sh\s+<\(\s*(curl|wget)/,
		message:
			'Piping a download into a shell is not allowed. Download the script, show it to the user, and run it only with their approval.',
	},
	{
		pattern: /\b(shutdown|reboot|halt|poweroff)\b|\binit\s+[06]\b/,
		message: 'Shutting down or rebooting the machine is not allowed.',
	},
];

/** Splits a command into the segments a shell would run one after another. */
function commandSegments(command: string): string[] {
	return command
		.split(/\n|;|&&|\|\||(?<![|>])&(?!&)|\$\(|`/)
		.map((segment) => segment.trim())
		.filter((segment) => segment !== '');
}

/**
 * Denies destructive shell commands: `rm -rf /` and its variants (home, system directories, `--no-preserve-root`),
 * `mkfs`, `dd of=/dev/...`, fork bombs, `chmod -R 777 /`, `curl ... | sh`, shutdown, and `git push --force` to
 * protected branches, in any segment of a compound command. Each denial says what to do instead.
 *
 * It is a guard rail, not a sandbox: pair it with `classifyBash`-based rules and least privilege.
 *
 * @example
 * ```ts
 * new Warden({ contracts: [denyDestructiveCommands({ protectedBranches: ['main', 'prod'] })] });
 * ```
 */
export function denyDestructiveCommands(options: DenyDestructiveCommandsOptions = {}): Contract {
	const o = checkKeys(options, ['protectedBranches', 'patterns', 'mode', 'name'], 'denyDestructiveCommands options');
	const branches = o['protectedBranches'] ?? ['main', 'master', 'production', 'release'];
	if (!Array.isArray(branches) || branches.some((b) => typeof b !== 'string' || b === ''))
		throw new ConfigError('denyDestructiveCommands options.protectedBranches must be an array of branch names.');
	const extra = o['patterns'] ?? [];
	if (
		!Array.isArray(extra) ||
		extra.some(
			(p) =>
				!((p as DestructivePattern)?.pattern instanceof RegExp) ||
				typeof (p as DestructivePattern).message !== 'string',
		)
	) {
		throw new ConfigError(
			'denyDestructiveCommands options.patterns must be an array of { pattern: RegExp, message: string }.',
		);
	}
	const protectedBranches = new Set(branches as string[]);
	const pushMessage = `Force-pushing to a protected branch (${[...protectedBranches].join(', ')}) is not allowed. Push to a new branch and open a pull request.`;
	const rules: Array<{ test: (segment: string) => boolean; message: string }> = [
		...[...DEFAULTS, ...(extra as DestructivePattern[])].map(({ pattern, message }) => ({
			test: (segment: string) => pattern.test(segment),
			message,
		})),
		{ test: (segment) => forcePushesProtected(segment, protectedBranches), message: pushMessage },
	];
	return precondition(
		'*',
		(call: ToolEnvelope) => {
			const command = call.bashCommand ?? '';
			// Each segment alone (a destructive step hidden in a chain), and the whole command (forms that span
			// separators, such as a fork bomb).
			for (const segment of [...commandSegments(command), command]) {
				const hit = rules.find((rule) => rule.test(segment));
				if (hit !== undefined) return Verdict.fail(hit.message, { segment });
			}
			return Verdict.pass();
		},
		{
			name: (o['name'] as string | undefined) ?? 'denyDestructiveCommands',
			when: (call) => call.bashCommand !== null,
			...(o['mode'] === undefined ? {} : { mode: o['mode'] as 'enforce' | 'observe' }),
		},
	);
}

/**
 * Whether a command segment force-pushes to a protected branch. A force push that names no branch pushes the current
 * one, which may be protected: it is denied too.
 */
function forcePushesProtected(segment: string, branches: ReadonlySet<string>): boolean {
	const words = segment.split(/\s+/);
	const push = words.findIndex((word, i) => word === 'push' && words[i - 1] === 'git');
	if (push === -1) return false;
	const rest = words.slice(push + 1);
	const flags = rest.filter((w) => w.startsWith('-'));
	const refspecs = rest.filter((w) => !w.startsWith('-')).slice(1);
	const forced =
		flags.some((f) => f === '-f' || f === '--force' || f.startsWith('--force-with-lease') || /^-[a-zA-Z]*f/.test(f)) ||
		refspecs.some((r) => r.startsWith('+'));
	if (!forced) return false;
	if (refspecs.length === 0) return true;
	return refspecs.some((refspec) => {
		const target = refspec.replace(/^\+/, '').split(':').pop() ?? '';
		return branches.has(target.replace(/^refs\/heads\//, ''));
	});
}
