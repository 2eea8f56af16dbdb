import { entropy, mixedCase, type SecretRule } from '../SecretRule.js';

const basicHasColon = (secret: string): boolean => Buffer.from(secret, 'base64').toString('latin1').includes(':');
const letterAndDigit = (secret: string): boolean => /[A-Za-z]/.test(secret) && /[0-9]/.test(secret);
const highEntropy = (secret: string): boolean => mixedCase(secret) && entropy(secret) >= 3.5;
/** A URL's scheme, starting a token: `postgres://`, `mongodb+srv://` (bounded, so a long run fails fast). */
const SCHEME = '(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://';

/** Formats every provider shares: keys, tokens and credentials in headers, URLs and shell commands. */
export const GENERIC_RULES: readonly SecretRule[] = [
	{
		id: 'pem-private-key',
		provider: 'PEM / OpenSSH / PGP',
		// The body stops at the next `-`-run that ends it, so an unterminated key is redacted to the end of the text.
		pattern:
			/-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!----END))*(?:-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)?/g,
		needles: ['-----begin'],
		examples: [
			'-----BEGIN RSA PRIVATE KEY-----\n{b:64}\n{b:64}\n{b:40}==\n-----END RSA PRIVATE KEY-----',
			'-----BEGIN OPENSSH PRIVATE KEY-----\n{b:70}\n{b:70}\n-----END OPENSSH PRIVATE KEY-----',
			'-----BEGIN PRIVATE KEY-----\\n{b:64}\\n{b:30}\\n-----END PRIVATE KEY-----',
		],
		docs: 'private keys in PEM, OpenSSH and PGP armour, with real or escaped (`\\n`) newlines, even unterminated',
	},
	{
		id: 'jwt',
		provider: 'JSON Web Token',
		pattern: /(?<![A-Za-z0-9_])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/g,
		needles: ['eyj'],
		examples: ['eyJ{u:32}.eyJ{u:60}.{u:43}', 'eyJ{u:20}.eyJ{u:40}', 'eyJ{u:20}.eyJ{u:40}.'],
		docs: 'signed and unsigned JWTs (three or two parts), anywhere in text',
	},
	{
		id: 'url-credentials',
		provider: 'any URL',
		// The password runs to the last `@` before the host, so one containing `@` is redacted whole.
		pattern: new RegExp(
			`(?<pre>${SCHEME}[^\\s:@/"'<>\`]{0,256}:)[^\\s/"'<>\`]{1,512}(?<post>@[^\\s@/"'<>\`]{1,253})`,
			'g',
		),
		needles: ['@'],
		examples: [
			'https://deploy:«{a:16}»@git.example.com/repo.git',
			'postgres://app:«{a:16}»@db.internal:5432/app',
			'redis://:«{a:16}»@cache.internal:6379/0',
			'mongodb+srv://admin:«p@ss{a:8}@x»@cluster0.example.net/db',
		],
		docs: 'passwords in `scheme://user:password@host` URLs, including passwords that contain `@`',
	},
	{
		id: 'url-user-token',
		provider: 'any URL',
		pattern: new RegExp(`(?<pre>${SCHEME})[A-Za-z0-9_.~%-]{20,256}(?<post>@)`, 'g'),
		needles: ['@'],
		confirm: letterAndDigit,
		examples: ['https://«{a:40}»@github.com/org/repo.git', 'https://«{h:32}»@o{d:6}.ingest.sentry.io/{d:7}'],
		docs: 'a token used as the user name of a URL (`https://<token>@host`, Sentry DSNs)',
	},
	{
		id: 'authorization-header',
		provider: 'HTTP',
		pattern:
			/(?<pre>\b(?:proxy-)?authorization\\?["']?[ \t]{0,8}[:=][ \t]{0,8}\\?["']?(?:(?:Bearer|Basic|Token|Digest|Bot|Negotiate|token)[ \t]{1,8})?)[^\s"',;\\]+/gi,
		needles: ['authoriz'],
		examples: ['Authorization: Bearer «{a:24}.{a:16}»', 'authorization: token «{a:40}»'],
		docs: '`Authorization` / `Proxy-Authorization` header values, whatever the scheme',
	},
	{
		id: 'bearer',
		provider: 'HTTP',
		pattern: /(?<pre>\bBearer[ \t]{1,8})[A-Za-z0-9._~+/=-]{12,}/g,
		needles: ['bearer'],
		confirm: (secret) => /[0-9._~+/=-]/.test(secret),
		examples: ['curl -H "X-Auth: Bearer «{a:32}9»"'],
		docs: '`Bearer <token>` anywhere in text',
	},
	{
		id: 'basic-auth',
		provider: 'HTTP',
		pattern: /(?<pre>\bBasic[ \t]{1,8})[A-Za-z0-9+/]{8,}={0,2}/g,
		needles: ['basic'],
		confirm: basicHasColon,
		examples: ['Authorization: Basic «{basic}»'],
		docs: '`Basic <base64 user:password>` anywhere in text',
	},
	{
		id: 'curl-user',
		provider: 'shell',
		pattern: /(?<pre>(?<![\w-])(?:-u|--user)(?:[ \t]{1,8}|=)["']?[^\s:"']{0,256}:)[^\s"']+/g,
		needles: ['-u', '--user'],
		examples: ['curl -u admin:«{a:12}» https://api.example.com', 'curl -u ":«{a:40}»" https://api.example.com'],
		docs: '`curl -u user:password`, `--user`, also with an empty user (`-u ":token"`)',
	},
	{
		id: 'cli-secret-flag',
		provider: 'shell',
		pattern:
			/(?<pre>(?<![\w-])--?(?:password|passwd|pass|token|secret|api-?key|auth-token|access-token|client-secret|private-key)(?:=|[ \t]{1,8})["']?)[^\s"']+/gi,
		needles: ['-pass', '-token', '-secret', '-api', '-auth', '-access', '-client', '-private'],
		examples: ['pg_dump --password=«{a:12}» app', 'vault login --token «{a:24}» --no-pager'],
		docs: 'secret-named flags: `--password=…`, `--token …`, `--api-key …`, `--client-secret …`',
	},
	{
		id: 'mysql-password',
		provider: 'shell',
		// At most 16 arguments between the command and `-p`, so a long command line costs a bounded scan.
		pattern:
			/(?<pre>(?<![\w-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mariadb|mariadb-dump)(?:[ \t]{1,8}[^\s;|&]{1,256}){0,16}?[ \t]{1,8}-p)(?!assword)[^\s;|&"'-][^\s;|&"']*/g,
		needles: ['mysql', 'mariadb'],
		examples: ['mysql -u root -p«{a:12}» shop', 'mysqldump -h db -u app -p«{a:12}» --all-databases'],
		docs: '`mysql -p<password>` and its siblings',
	},
	{
		id: 'sshpass',
		provider: 'shell',
		pattern: /(?<pre>\bsshpass[ \t]{1,8}-p[ \t]{0,8}["']?)[^\s"'-][^\s"']*/g,
		needles: ['sshpass'],
		examples: ['sshpass -p «{a:12}» ssh deploy@host'],
		docs: '`sshpass -p <password>`',
	},
	{
		id: 'private-key-hex',
		provider: 'raw keys',
		pattern:
			/(?<pre>(?<![A-Za-z])(?:private|priv|secret|signing|wallet)[ _-]?key\w{0,20}\\?["']?[^A-Za-z0-9\n]{1,12})(?:0x)?[a-fA-F0-9]{64}(?![A-Za-z0-9])/gi,
		needles: ['key'],
		examples: ['wallet private key: «0x{h:64}»', 'ETH_PRIVATE_KEY=«{h:64}»'],
		docs: 'raw 32-byte hex private keys (secp256k1, ed25519 seeds) after a key name',
	},
	{
		id: 'secret-context',
		provider: 'generic',
		// A random-looking token right after a secret word ("the token is …", "api key: …"), whatever its format.
		pattern:
			/(?<pre>\b(?:tokens?|secrets?|passwords?|passwd|credentials?|api[ _-]?keys?|access[ _-]?keys?)(?:[ \t]{1,4}(?:is|was|of|for|value|=|:)){0,2}[ \t:=]{1,4}\\?["'`]?)(?<![A-Za-z0-9+/=_.-])[A-Za-z0-9+/=_.-]{20,}/gi,
		needles: [
			'token',
			'secret',
			'passw',
			'credential',
			'api key',
			'api_key',
			'api-key',
			'apikey',
			'access key',
			'access_key',
			'access-key',
		],
		confirm: highEntropy,
		examples: ['the deploy token is «{x:40}»', 'Here is my API key: «{x:32}»'],
		docs: 'any random-looking token of 20+ characters right after a secret word (`token is …`, `API key: …`)',
	},
];
