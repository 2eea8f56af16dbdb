import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChainHasher } from '../../src/audit/chainLine.js';
import {
	ConfigError,
	groupAuditFiles,
	JsonlFileSink,
	verifyAuditLog,
	Warden,
	type ChainLink,
	type HashChainOption,
} from '../../src/index.js';

const unlimited = { maxToolCalls: Infinity, maxAttempts: Infinity };
const dir = () => mkdtemp(join(tmpdir(), 'tw-verify-'));
const KEY = 'the-audit-key';

async function log(
	hashChain: HashChainOption,
	calls = 5,
	path?: string,
): Promise<{ path: string; sink: JsonlFileSink; lines: string[] }> {
	const file = path ?? join(await dir(), 'audit.jsonl');
	const sink = new JsonlFileSink(file, { hashChain });
	const warden = new Warden({ audit: sink, limits: unlimited });
	for (let i = 0; i < calls; i++) await warden.run('t', { i }, () => i);
	await warden.close();
	return { path: file, sink, lines: (await readFile(file, 'utf8')).trimEnd().split('\n') };
}

const rewrite = (path: string, lines: readonly string[]) => writeFile(path, `${lines.join('\n')}\n`);

describe('verify checks the exact bytes of each line', () => {
	it('a whitespace edit or a duplicated key is a modification, though the parsed event is unchanged', async () => {
		const { path, lines } = await log(true);
		await rewrite(
			path,
			lines.map((l, i) => (i === 2 ? l.replace('"toolName":"t"', '"toolName": "t"') : l)),
		);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: false, kind: 'modified', firstBadSeq: 3, count: 2 });
		await rewrite(
			path,
			lines.map((l, i) => (i === 3 ? l.replace('"toolName":"t"', '"toolName":"x","toolName":"t"') : l)),
		);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: false, kind: 'modified', firstBadSeq: 4 });
	});

	it('a line without chain fields is a modification at the seq it should have had', async () => {
		const { path, lines } = await log(true);
		await rewrite(path, [...lines.slice(0, 4), '{"action":"call_allowed"}', ...lines.slice(4)]);
		expect(await verifyAuditLog(path)).toMatchObject({
			ok: false,
			kind: 'modified',
			firstBadSeq: 5,
			reason: expect.stringMatching(/audit\.jsonl:5: not a chained line/) as string,
		});
	});

	it('a keyless chain recomputed by an attacker still passes: that is what keys are for', async () => {
		const { path, lines } = await log(true, 2);
		const hasher = new ChainHasher();
		let link: ChainLink = { seq: 0, hash: '0'.repeat(64) };
		const forged = lines.map((line) => {
			const body = line.slice(line.indexOf('"schemaVersion"'), -75).replace('"toolName":"t"', '"toolName":"forged"');
			const built = hasher.line(link, body);
			link = built.link;
			return built.line.trimEnd();
		});
		await rewrite(path, forged);
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, count: 4 });
	});
});

describe('keyed chains', () => {
	it('verify passes with the key, and fails with kind "key" without it or with another key', async () => {
		const { path, lines } = await log({ key: KEY });
		expect(JSON.parse(lines[0] as string)).toMatchObject({
			seq: 1,
			kid: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
		});
		expect(await verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: true, count: 10 });
		expect(await verifyAuditLog(path, { key: Buffer.from(KEY) })).toMatchObject({ ok: true, count: 10 });
		expect(await verifyAuditLog(path)).toMatchObject({
			ok: false,
			kind: 'key',
			firstBadSeq: 1,
			reason: expect.stringMatching(/the chain is keyed .*verify with its key/) as string,
		});
		expect(await verifyAuditLog(path, { key: 'another' })).toMatchObject({
			ok: false,
			kind: 'key',
			reason: expect.stringMatching(/signed with another key/) as string,
		});
	});

	it('an attacker without the key cannot forge a line that verifies', async () => {
		const { path, lines } = await log({ key: KEY });
		// Edited in place: the HMAC no longer matches.
		await rewrite(
			path,
			lines.map((l, i) => (i === 4 ? l.replace('"toolName":"t"', '"toolName":"x"') : l)),
		);
		expect(await verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: false, kind: 'modified', firstBadSeq: 5 });
		// The whole chain recomputed without a key (a downgrade): every line must be keyed.
		const keyless = await log(true);
		await writeFile(path, await readFile(keyless.path));
		expect(await verifyAuditLog(path, { key: KEY })).toMatchObject({
			ok: false,
			kind: 'key',
			reason: expect.stringMatching(/not keyed, but a key was given/) as string,
		});
		// Recomputed with a guessed key, the real kid copied over: the HMAC gives it away.
		const kid = (JSON.parse(lines[0] as string) as { kid: string }).kid;
		const guessed = new ChainHasher('guess');
		let link: ChainLink = { seq: 0, hash: '0'.repeat(64) };
		const forged = lines.map((line) => {
			const built = guessed.line(link, line.slice(line.indexOf('"schemaVersion"'), -75));
			link = built.link;
			return built.line.trimEnd().replace(/"kid":"[0-9a-f]{16}"/, `"kid":"${kid}"`);
		});
		await rewrite(path, forged);
		expect(await verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: false, kind: 'modified', firstBadSeq: 1 });
	});
});

describe('anchors', () => {
	it('startsAt detects lines cut from the start, and a chain rewritten from the anchor on', async () => {
		const { path, lines, sink } = await log(true);
		const start = sink.firstLink as ChainLink;
		expect(start.seq).toBe(1);
		expect(await verifyAuditLog(path, { startsAt: start, endsAt: sink.lastLink as ChainLink })).toMatchObject({
			ok: true,
			count: 10,
		});
		await rewrite(path, lines.slice(3));
		expect(await verifyAuditLog(path)).toMatchObject({ ok: true, firstSeq: 4 });
		expect(await verifyAuditLog(path, { startsAt: start })).toMatchObject({
			ok: false,
			kind: 'truncated',
			firstBadSeq: 1,
			reason: expect.stringMatching(
				/starts at seq 4, after the anchored seq 1: lines were cut from the start/,
			) as string,
		});
		expect(await verifyAuditLog(path, { startsAt: { seq: 5, hash: 'f'.repeat(64) } })).toMatchObject({
			ok: false,
			kind: 'modified',
			firstBadSeq: 5,
		});
	});

	it('endsAt accepts lines written after the anchor, and tells a cut tail from a rewritten one', async () => {
		const folder = await dir();
		const path = join(folder, 'audit.jsonl');
		const first = await log(true, 3, path);
		const anchor = first.sink.lastLink as ChainLink;
		const { lines } = await log(true, 2, path);
		expect(await verifyAuditLog(path, { endsAt: anchor })).toMatchObject({ ok: true, count: 10, lastSeq: 10 });
		await rewrite(path, lines.slice(0, 4));
		expect(await verifyAuditLog(path, { endsAt: anchor })).toMatchObject({
			ok: false,
			kind: 'truncated',
			firstBadSeq: 5,
			reason: 'the log ends at seq 4, before the anchored seq 6: 2 line(s) were cut from the end',
		});
		expect(await verifyAuditLog(path, { endsAt: { seq: 3, hash: 'e'.repeat(64) } })).toMatchObject({
			ok: false,
			kind: 'modified',
			firstBadSeq: 3,
		});
	});
});

describe('file sets', () => {
	it('groups rotated siblings into chains, oldest first', () => {
		expect(
			groupAuditFiles(['w1.jsonl', 'w2.jsonl.1', 'w1.jsonl.10', 'w1.jsonl.2', 'w2.jsonl', 'single.log.3']),
		).toEqual([
			{ base: 'single.log.3', files: ['single.log.3'] },
			{ base: 'w1.jsonl', files: ['w1.jsonl.10', 'w1.jsonl.2', 'w1.jsonl'] },
			{ base: 'w2.jsonl', files: ['w2.jsonl.1', 'w2.jsonl'] },
		]);
	});

	it('a directory of worker files verifies as a set: each chain on its own, the first bad one named', async () => {
		const folder = await dir();
		await mkdir(join(folder, 'sub'));
		for (const worker of ['w1', 'w2', 'w3']) await log({ key: KEY }, 3, join(folder, `${worker}.jsonl`));
		await writeFile(join(folder, 'README.txt'), 'not a log');
		const result = await verifyAuditLog(folder, { key: KEY });
		expect(result).toMatchObject({ ok: true, count: 18 });
		expect(result.sets?.map((s) => s.base)).toEqual(['w1', 'w2', 'w3'].map((w) => join(folder, `${w}.jsonl`)));
		const w2 = join(folder, 'w2.jsonl');
		const lines = (await readFile(w2, 'utf8')).trimEnd().split('\n');
		await rewrite(
			w2,
			lines.filter((_, i) => i !== 2),
		);
		expect(await verifyAuditLog(folder, { key: KEY })).toMatchObject({
			ok: false,
			kind: 'deleted',
			firstBadSeq: 4,
			reason: expect.stringMatching(/^.*w2\.jsonl: .*seq jumps from 2 to 4/) as string,
		});
		await expect(verifyAuditLog(folder, { key: KEY, endsAt: { seq: 1, hash: '' } })).rejects.toThrow(ConfigError);
	});

	it('a missing file, or a directory without logs, is reported as deleted', async () => {
		expect(await verifyAuditLog(['/nonexistent/audit.jsonl'])).toMatchObject({
			ok: false,
			kind: 'deleted',
			reason: expect.stringMatching(/cannot read/) as string,
		});
		const empty = await dir();
		expect(await verifyAuditLog(empty)).toEqual({
			ok: false,
			count: 0,
			kind: 'deleted',
			reason: `no audit log files found in ${empty}`,
			lost: 0,
			repairs: 0,
		});
		expect(await verifyAuditLog([])).toMatchObject({ ok: false, kind: 'deleted' });
	});
});

describe('keyed hashing', () => {
	it('is standard HMAC-SHA-256 (checkable with any HMAC tool), for short, long and non-ASCII keys and lines', () => {
		for (const key of ['k', 'x'.repeat(64), 'y'.repeat(200), Buffer.from([0, 255, 7]), 'clé-🔑']) {
			const hasher = new ChainHasher(key);
			for (const prefix of ['{"seq":1', `{"a":"${'é'.repeat(3000)}"`, ''])
				expect(hasher.sign(prefix)).toBe(createHmac('sha256', key).update(prefix).digest('hex'));
		}
	});
});
