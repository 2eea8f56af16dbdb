/**
 * Secret-shaped values, found anywhere inside a string. Each entry replaces just the secret (a `keep` group before it
 * stays), so the surrounding text remains readable in the audit trail. Formats follow the providers' documented token
 * shapes; prefixes are kept tight so ordinary text (hashes, UUIDs, prose about "tokens") is left alone.
 */
export interface SecretPattern {
	readonly name: string;
	readonly regex: RegExp;
	/** Which capture groups to keep around the marker: `[before, after]` group numbers, 0 for none. */
	readonly keep?: readonly [number, number];
	/** A further test of the match, for formats a regex alone over-matches. */
	readonly confirm?: (match: string) => boolean;
	/**
	 * A cheap test (literal substrings) that must hold for the pattern to match at all, so most strings skip the
	 * regex. Gets the text and its lowercase form (computed once per string).
	 */
	readonly trigger: (text: string, lower: string) => boolean;
}

const has =
	(...needles: string[]) =>
	(text: string) =>
		needles.some((needle) => text.includes(needle));
const hasIgnoringCase =
	(...needles: string[]) =>
	(_text: string, lower: string) =>
		needles.some((needle) => lower.includes(needle));

export const REDACTED = '[REDACTED]';

const basicHasColon = (match: string): boolean => {
	const encoded = match.replace(/^Basic\s+/i, '');
	try {
		return Buffer.from(encoded, 'base64').toString('latin1').includes(':');
	} catch {
		return false;
	}
};

export const SECRET_PATTERNS: readonly SecretPattern[] = [
	{ name: 'pem-private-key', trigger: has('-----BEGIN'), regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g },
	{ name: 'jwt', trigger: has('eyJ'), regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
	{ name: 'anthropic', trigger: has('sk-ant-'), regex: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
	{ name: 'openai', trigger: has('sk-'), regex: /\bsk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9]{32,}/g },
	{ name: 'aws-access-key-id', trigger: has('AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AIPA', 'ANPA', 'ANVA', 'AROA', 'APKA', 'ASCA'), regex: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b/g },
	{ name: 'aws-secret-access-key', trigger: hasIgnoringCase('secret'), regex: /((?:aws_?secret_?access_?key|aws_?secret_?key|secretAccessKey|aws_secret)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi, keep: [1, 0] },
	{ name: 'github', trigger: has('gh', 'github_pat_'), regex: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g },
	{ name: 'gitlab', trigger: has('gl'), regex: /\bgl(?:pat|ptt|dt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}/g },
	{ name: 'slack-token', trigger: has('xox', 'xapp-'), regex: /\bxox[abposer]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}/g },
	{ name: 'slack-webhook', trigger: has('hooks.slack.com'), regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g },
	{ name: 'stripe', trigger: has('k_live_', 'k_test_', 'whsec_'), regex: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{24,}/g },
	{ name: 'google-api-key', trigger: has('AIza'), regex: /\bAIza[0-9A-Za-z_-]{35}/g },
	{ name: 'npm', trigger: has('npm_'), regex: /\bnpm_[A-Za-z0-9]{36}\b/g },
	{ name: 'npmrc-auth', trigger: has('_auth', '_password'), regex: /(_(?:authToken|auth|password)\s*=\s*)[^\s"']+/g, keep: [1, 0] },
	{ name: 'sendgrid', trigger: has('SG.'), regex: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
	{ name: 'twilio-api-key', trigger: has('SK'), regex: /\bSK[0-9a-f]{32}\b/g },
	{ name: 'azure-client-secret', trigger: has('Q~'), regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g },
	{ name: 'azure-account-key', trigger: hasIgnoringCase('accountkey', 'sharedaccess'), regex: /((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\s"']+/gi, keep: [1, 0] },
	{ name: 'url-credentials', trigger: (text) => text.includes('://') && text.includes('@'), regex: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+(@)/gi, keep: [1, 2] },
	{ name: 'authorization-header', trigger: hasIgnoringCase('authoriz'), regex: /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token|Digest|Bot)\s+)?)[^\s"',;]+/gi, keep: [1, 0] },
	{ name: 'bearer', trigger: has('Bearer'), regex: /(\bBearer\s+)(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{12,}/g, keep: [1, 0] },
	{ name: 'basic-auth', trigger: has('Basic'), regex: /\bBasic\s+[A-Za-z0-9+/]{8,}={0,2}/g, confirm: basicHasColon },
	{ name: 'curl-user', trigger: has('-u', '--user'), regex: /((?:^|\s)(?:-u|--user)\s*["']?[^\s:"']+:)[^\s"']+/g, keep: [1, 0] },
	{ name: 'cli-secret-flag', trigger: hasIgnoringCase('-pass', '-token', '-secret', '-api', '-auth', '-access', '-client', '-private'), regex: /((?<![\w-])--?(?:password|passwd|pass|token|secret|api-?key|auth-token|access-token|client-secret|private-key)(?:=|\s+)["']?)[^\s"']+/gi, keep: [1, 0] },
	{ name: 'mysql-password', trigger: has('mysql', 'mariadb', 'sshpass'), regex: /(\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|sshpass)\b[^\n;|&]*?\s-p)[^\s-]\S*/g, keep: [1, 0] },
];

/**
 * `key=value` / `key: value` in text (env exports, config files, JSON-ish logs). Group 2 is the key, group 4 the
 * value; the policy redacts the value when its key test says the key names a secret, so text follows the same key
 * rules as objects (including custom `secretKeys`). Values that are code or references, not secrets (`getToken()`,
 * `$TOKEN`, `<your-token>`, `null`, `process.env.X`), are left alone.
 */
export const ASSIGNMENT =
	/((?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]*)["']?\s*(?:=|:)\s*["']?)(?!\[REDACTED\])(?!(?:await|new|null|true|false|undefined|None|this|self|process|os|env|Bearer|Basic|Digest|Token|Bot|Negotiate)\b)((?![$<{(])[^\s"'&;,}()]{3,})(?![(\w])/g;

/**
 * A cheap test over the lowercased text that rules most strings out before any pattern runs. It must match every
 * string a pattern (or a default secret key word) can match: a trigger missing here would silently never run. It is
 * case-sensitive over lowercase text, which irregexp scans several times faster than an /i alternation.
 */
export const PREFILTER =
	/sk-|sk_|rk_|whsec_|akia|asia|abia|acca|agpa|aida|aipa|anpa|anva|aroa|apka|asca|secret|gh[pousr]_|github_pat_|gl(?:pat|ptt|dt|rt|cbt|oas)-|xox|xapp-|hooks\.slack|aiza|npm_|_auth|_password|sg\.|sk[0-9a-f]{32}|\dq~|accountkey|sharedaccess|:\/\/|authoriz|bearer|basic|-u|--user|pass|token|key|private|eyj|-----begin|mysql|mariadb|sshpass|pwd|credential|cookie|session|auth|dsn|jwt|otp|sid/;

/** Words that must appear (lowercased) before the `key=value` rule can find a default secret key. */
export const ASSIGNMENT_TRIGGER = /pass|pwd|secret|token|key|auth|cookie|credential|session|dsn|jwt|otp|sid/;
