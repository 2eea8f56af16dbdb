import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, oneLine } from '../CliError.js';
import { EXIT, type Command } from '../Command.js';
import { count } from '../format.js';
import { resolveLogSets } from '../input/logSets.js';
import { checkChain, KEYED_CHAINS_SUPPORTED, type ChainCheck, type ChainCheckOptions } from '../verify/checkChain.js';

const USAGE = `Usage: toolwarden verify <paths...> [--key-file F] [--ends-at SEQ:HASH] [--json]
  Checks the hash chain of each log set (a base file and its rotated siblings), naming the first bad line.
  --key-file  the HMAC key of a keyed chain (a trailing newline is ignored)
  --ends-at   the anchor of the last line (sink.lastLink), to detect lines cut from the end
  Exit code 1 when any set fails.`;

/** `toolwarden verify`: the chain check of API §6.1, per log set. */
export const verify: Command = {
	name: 'verify',
	summary: 'check the hash chain of audit logs, per file set, naming the first bad line',
	usage: USAGE,
	options: { 'key-file': { type: 'string' }, 'ends-at': { type: 'string' } },
	async run(options, positionals, io) {
		const checkOptions: ChainCheckOptions = {
			...(typeof options['key-file'] === 'string'
				? { key: await readKey(resolve(io.cwd, options['key-file']), options['key-file']) }
				: {}),
			...(typeof options['ends-at'] === 'string' ? { endsAt: parseAnchor(options['ends-at']) } : {}),
		};
		const sets = await resolveLogSets(positionals, io.cwd);
		if (checkOptions.endsAt !== undefined && sets.length > 1)
			throw new CliError('--ends-at anchors one log set; name one set (a file and its rotations).');
		const results: Array<ChainCheck & { files: string[] }> = [];
		for (const set of sets) results.push({ files: [...set.files], ...(await checkChain(set.files, checkOptions)) });
		const ok = results.every((result) => result.ok);
		if (options['json'] === true) io.stdout.write(`${JSON.stringify({ ok, sets: results }, null, 2)}\n`);
		else for (const result of results) io.stdout.write(`${describe(result)}\n`);
		return ok ? EXIT.OK : EXIT.FOUND;
	},
};

function describe(result: ChainCheck & { files: string[] }): string {
	const name = result.files.at(-1) ?? '?';
	const files = result.files.length === 1 ? name : `${name} (+${result.files.length - 1} rotated)`;
	if (result.ok) return `ok      ${files}: ${count(result.count)} lines, chain intact`;
	const kind = result.kind === undefined ? '' : ` [${result.kind}]`;
	const where = `first bad line seq ${result.firstBadSeq ?? '?'}${kind}`;
	return `BROKEN  ${files}: ${where}: ${result.reason ?? 'unknown'} (${count(result.count)} lines verified before it)`;
}

async function readKey(path: string, given: string): Promise<Buffer> {
	if (!KEYED_CHAINS_SUPPORTED) {
		throw new CliError(
			'--key-file: this build of toolwarden cannot check keyed (HMAC) chains yet; its verifyAuditLog predates API §6.1.',
		);
	}
	return readKeyFile(path, given);
}

/** A key file's bytes without the trailing newline editors and `echo` add (it is never part of the key). */
export async function readKeyFile(path: string, given: string = path): Promise<Buffer> {
	let key: Buffer;
	try {
		key = await readFile(path);
	} catch (error) {
		throw new CliError(`--key-file ${given}: ${oneLine(error)}`, { cause: error });
	}
	const end = key.at(-1) === 0x0a ? (key.at(-2) === 0x0d ? key.length - 2 : key.length - 1) : key.length;
	if (end === 0) throw new CliError(`--key-file ${given}: the file is empty.`);
	return key.subarray(0, end);
}

/** `--ends-at 1234:ab12…` → `{ seq, hash }`. */
export function parseAnchor(text: string): { seq: number; hash: string } {
	const match = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
	if (match === null)
		throw new CliError(
			`--ends-at ${text}: expected SEQ:HASH (the seq and 64-hex hash of the last line, as sink.lastLink gives them).`,
		);
	return { seq: Number(match[1]), hash: (match[2] as string).toLowerCase() };
}
