/**
 * One entry of the secret catalogue: a format a provider issues, how to find it inside any text, a synthetic example
 * and the line the docs show.
 *
 * Every pattern is designed to run in linear time on V8's backtracking engine: it starts with a literal or a
 * one-character lookbehind that rules out starting inside a run of the characters its body consumes (so a run is
 * scanned by one attempt, not by one per position), and every repetition whose characters overlap what follows it
 * is bounded.
 */
export interface SecretRule {
	/** A stable id, used to disable the rule (`RedactionOptions.disableRules`). */
	readonly id: string;
	/** Who issues the secret, for the docs. */
	readonly provider: string;
	/**
	 * A global regex. What it matches is replaced by `[REDACTED]`, except the named groups `pre` and `post`, which
	 * stay (the context that made the match a secret, such as `Bearer ` or `scheme://user:`).
	 */
	readonly pattern: RegExp;
	/**
	 * Lowercase substrings, one of which any match contains: the rule runs only on text (lowercased) holding one.
	 * An empty list means the rule has no literal and runs on every text of at least `minLength` characters.
	 */
	readonly needles: readonly string[];
	/** Shortest text the pattern can match, so shorter texts skip it. */
	readonly minLength?: number;
	/** A further test of the secret part (without `pre`/`post`), for shapes a regex alone over-matches. */
	readonly confirm?: (secret: string) => boolean;
	/**
	 * Synthetic examples as templates: `{a:20}` is 20 random letters and digits (see the test generator for the
	 * classes); the part between `«` and `»` is the secret (the whole example when there are no marks).
	 */
	readonly examples: readonly string[];
	/** What the rule covers, one line for the docs. */
	readonly docs: string;
}

/**
 * Not preceded by a word character: a match starts at the beginning of a word, never inside one. A `-` may precede
 * (`id-sk-ant-…`): the patterns after a literal prefix either succeed on the whole run or fail within a bounded scan.
 */
export const START = '(?<![A-Za-z0-9_])';
/** Not followed by a token character: a fixed-length format matches a whole token or nothing. */
export const END = '(?![A-Za-z0-9_-])';

/** Builds a global regex from parts, so patterns can be written with the shared boundaries. */
export const rx = (source: string, flags = 'g'): RegExp => new RegExp(source, flags);

/** Upper and lower case letters and digits, as random tokens have. */
export function mixedCase(secret: string): boolean {
	return /[A-Z]/.test(secret) && /[a-z]/.test(secret) && /[0-9]/.test(secret);
}

/** Shannon entropy in bits per character: random tokens score above 3.5, words and ids well below. */
export function entropy(text: string): number {
	const counts = new Map<string, number>();
	for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
	let bits = 0;
	for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
	return bits;
}
