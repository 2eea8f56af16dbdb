/**
 * Classifies a shell command as `read` (a single allow-listed read-only command) or `irreversible` (anything else).
 *
 * It is a conservative heuristic, not a sandbox: it errs towards `irreversible`. Any shell operator (`;`, `|`, `&`,
 * `&&`, `||`), newline, redirection (`>`, `<`), substitution (`$(`, backticks, `${`, `<(`, `>(`), environment
 * assignment prefix, path-qualified program, or a destructive form behind a read-only program (`find -delete`,
 * `find -exec`, `git branch -D`, `git tag -d`, `git remote add`, `date -s`, `rg --pre`, `git diff --output`) makes a
 * command `irreversible`, even when a quoted argument would have made it harmless.
 *
 * @example
 * ```ts
 * classifyBash('git log --oneline -5'); // 'read'
 * classifyBash('ls; rm -rf ~');         // 'irreversible'
 * classifyBash('find . -delete');       // 'irreversible'
 * ```
 */
export function classifyBash(command: string): 'read' | 'irreversible' {
	if (typeof command !== 'string' || UNSAFE_CHARS.test(command)) return 'irreversible';
	const words = command.trim().split(/[ \t]+/);
	const program = words[0];
	if (program === undefined || program === '') return 'irreversible';
	const args = words.slice(1);
	if (READ_ONLY.has(program)) return 'read';
	const guard = GUARDED[program];
	return guard !== undefined && guard(args) ? 'read' : 'irreversible';
}

// Operators, redirections, substitutions, newlines and NUL. Quoting is deliberately not interpreted: a quoted `;`
// costs a false `irreversible`, never a false `read`.
const UNSAFE_CHARS = /[;&|<>`\n\r\0]|\$[({]|^\s*\w+=/;

const READ_ONLY = new Set([
	'ls',
	'cat',
	'head',
	'tail',
	'wc',
	'grep',
	'egrep',
	'fgrep',
	'pwd',
	'whoami',
	'id',
	'echo',
	'which',
	'file',
	'stat',
	'du',
	'df',
	'tree',
	'nl',
	'cut',
	'basename',
	'dirname',
	'realpath',
	'readlink',
	'diff',
	'cmp',
	'md5sum',
	'sha1sum',
	'sha256sum',
	'uname',
	'jq',
	'printenv',
	'uptime',
]);

const hasAny = (args: readonly string[], forbidden: readonly string[]): boolean =>
	args.some((arg) => forbidden.some((f) => arg === f || arg.startsWith(`${f}=`)));

const onlyFlagsFrom = (args: readonly string[], allowed: readonly string[]): boolean =>
	args.every((arg) => allowed.includes(arg));

const GIT_READ: Record<string, (args: readonly string[]) => boolean> = {
	status: () => true,
	log: (args) => !hasAny(args, ['--output']),
	diff: (args) => !hasAny(args, ['--output', '--ext-diff']),
	show: (args) => !hasAny(args, ['--output', '--ext-diff']),
	'rev-parse': () => true,
	'ls-files': () => true,
	blame: () => true,
	// Listing only: any positional argument would create a branch/tag, and these flags change refs.
	branch: (args) =>
		onlyFlagsFrom(args, [
			'-a',
			'-r',
			'-v',
			'-vv',
			'-l',
			'--list',
			'--all',
			'--remotes',
			'--verbose',
			'--show-current',
			'--no-color',
		]),
	tag: (args) => onlyFlagsFrom(args, ['-l', '--list', '-n']),
	remote: (args) => onlyFlagsFrom(args, ['-v', '--verbose']) || args[0] === 'get-url' || args[0] === 'show',
};

const GUARDED: Record<string, (args: readonly string[]) => boolean> = {
	find: (args) =>
		!hasAny(args, ['-delete', '-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls']),
	rg: (args) => !hasAny(args, ['--pre']),
	date: (args) => !hasAny(args, ['-s', '--set']) && !args.some((a) => /^-[a-zA-Z]*s/.test(a) && !a.startsWith('--')),
	hostname: (args) => args.every((a) => a.startsWith('-') && a !== '-F' && a !== '--file'),
	git: (args) => {
		// Global options such as `-C dir` or `-c key=value` can redirect or reconfigure git: not read-only.
		const [sub, ...rest] = args;
		const check = sub === undefined ? undefined : GIT_READ[sub];
		return check !== undefined && check(rest);
	},
};
