import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, posix, resolve } from 'node:path';

const HOME_VAR = /^\$(?:HOME\b|\{HOME\})/;

/**
 * The forms of a path a file rule must test, without touching the file system: as written (`\` read as `/`, a
 * `file://` prefix dropped, `$HOME` read as `~`), then with `.`/`..` segments, repeated and trailing slashes
 * collapsed, then with `~` expanded to this user's home. A pattern that matches any form matches the path.
 *
 * @example
 * ```ts
 * lexicalForms('$HOME//.ssh/./id_rsa/'); // ['~//.ssh/./id_rsa/', '~/.ssh/id_rsa', '/home/me/.ssh/id_rsa']
 * ```
 */
export function lexicalForms(path: string): string[] {
	const written = path
		.replace(/\\/g, '/')
		.replace(/^file:\/\//i, '')
		.replace(HOME_VAR, '~');
	const normal = normalise(written);
	const forms = [written, normal];
	if (normal === '~' || normal.startsWith('~/')) forms.push(normalise(homedir() + normal.slice(1)));
	return forms;
}

function normalise(path: string): string {
	const normal = posix.normalize(path);
	return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * Where a path really leads on this machine, through symlinks (`notes.txt -> .env`), relative to this process's
 * working directory; for a path that does not exist yet, where its parent directory leads. Undefined when neither
 * exists or cannot be read: the lexical forms are then all there is to test.
 */
export async function realForm(path: string): Promise<string | undefined> {
	const forms = lexicalForms(path);
	const absolute = resolve(forms[forms.length - 1] ?? path);
	try {
		return await realpath(absolute);
	} catch {
		try {
			return posix.join(await realpath(dirname(absolute)), basename(absolute));
		} catch {
			return undefined;
		}
	}
}
