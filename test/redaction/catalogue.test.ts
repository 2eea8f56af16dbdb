import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beforeHook, ConfigError, HookDecision, MemorySink, RedactionPolicy, Warden } from '../../src/index.js';
import { CATALOGUE, KEY_VALUE_RULE, RuleIndex } from '../../src/redaction/catalogue.js';
import { SecretGenerator } from '../fixtures/secretGenerator.js';

const R = '[REDACTED]';
const policy = new RedactionPolicy();

describe('the catalogue', () => {
	it('has unique ids, lowercase ASCII needles, and every example found by its own rule', () => {
		const generator = new SecretGenerator(7);
		expect(new Set(CATALOGUE.map((rule) => rule.id)).size).toBe(CATALOGUE.length);
		for (const rule of CATALOGUE) {
			for (const needle of rule.needles) expect(needle, rule.id).toMatch(/^[\x20-\x7e]+$/);
			for (const needle of rule.needles) expect(needle, rule.id).toBe(needle.toLowerCase());
			for (const template of rule.examples) {
				const { sample, secret } = generator.expand(template);
				// Only this rule: the others and the key rule are off, so the example proves the rule itself.
				const alone = new RedactionPolicy({
					disableRules: [...CATALOGUE.filter((r) => r !== rule).map((r) => r.id), KEY_VALUE_RULE],
				});
				expect(alone.redactText(sample), `${rule.id}: ${sample}`).not.toContain(secret);
			}
		}
	});

	it('finds a token glued after a dash or a dot (`id-<token>`, `s-<token>`)', () => {
		const generator = new SecretGenerator(11);
		for (const template of [
			'sk-ant-api03-{u:93}AA',
			'ghp_{a:36}',
			'glpat-{u:20}',
			'xoxb-{d:12}-{d:13}-{a:24}',
			'eyJ{u:20}.eyJ{u:40}.{u:43}',
		]) {
			const { secret } = generator.expand(template);
			expect(policy.redactText(`id-${secret}`)).toBe(`id-${R}`);
		}
	});

	it('is documented: docs/redaction.md names every rule id', () => {
		const docs = readFileSync(new URL('../../docs/redaction.md', import.meta.url), 'utf8');
		const missing = [...CATALOGUE.map((rule) => rule.id), KEY_VALUE_RULE].filter((id) => !docs.includes(`\`${id}\``));
		expect(missing).toEqual([]);
	});
});

describe('RedactionOptions: rules and disableRules', () => {
	it('adds rules by id, keeping the pre and post groups', () => {
		const custom = new RedactionPolicy({ rules: [{ id: 'emp', pattern: /(?<pre>emp-id=)\d{6}(?<post>;)/g }] });
		expect(custom.redactText('user emp-id=123456; ok')).toBe(`user emp-id=${R}; ok`);
	});

	it('disables built-in rules by id, and rejects unknown or taken ids', () => {
		const token = `ghp_${'a1B2'.repeat(9)}`;
		expect(new RedactionPolicy({ disableRules: ['github'] }).redactText(`use ${token}`)).toBe(`use ${token}`);
		expect(policy.redactText(`use ${token}`)).toBe(`use ${R}`);
		expect(() => new RedactionPolicy({ disableRules: ['githib'] })).toThrow(ConfigError);
		expect(() => new RedactionPolicy({ rules: [{ id: 'github', pattern: /x/g }] })).toThrow(ConfigError);
		expect(() => new RedactionPolicy({ rules: [{ id: '', pattern: /x/g }] })).toThrow(ConfigError);
	});

	it('turns off key = value in text with `key-value`, not the object keys', () => {
		const off = new RedactionPolicy({ disableRules: ['key-value'] });
		expect(off.redactText('password=hunter22')).toBe('password=hunter22');
		expect(off.redact({ password: 'hunter22' })).toEqual({ password: R });
	});
});

describe('key names and contexts', () => {
	it('redacts *_KEY, camelCase *Key, *_LOGIN env names, *_PAT, *_PASS', () => {
		expect(
			policy.redact({ HEROKU_KEY: 'a', hubspotKey: 'b', SONAR_LOGIN: 'c', GITHUB_PAT: 'd', DB_PASS: 'e' }),
		).toEqual({ HEROKU_KEY: R, hubspotKey: R, SONAR_LOGIN: R, GITHUB_PAT: R, DB_PASS: R });
		expect(
			policy.redact({
				sort_key: 'a',
				primary_key: 'id',
				public_key: 'ssh-ed25519 AAAA',
				last_login: '2026-01-01',
				user_login: 'ann',
			}),
		).toEqual({
			sort_key: 'a',
			primary_key: 'id',
			public_key: 'ssh-ed25519 AAAA',
			last_login: '2026-01-01',
			user_login: 'ann',
		});
	});

	it('does not let a label swallow the key after it', () => {
		expect(policy.redactText('Output:\nOPENROUTER_API_KEY = "v1 v2"')).toBe(`Output:\nOPENROUTER_API_KEY = "${R}"`);
		expect(policy.redactText('Result: API_KEY=abc123')).toBe(`Result: API_KEY=${R}`);
	});

	it('redacts quoted values whole, with spaces, and escaped-quote JSON inside a string', () => {
		expect(policy.redactText('DB_PASSWORD="correct horse battery staple" next')).toBe(`DB_PASSWORD="${R}" next`);
		expect(policy.redactText('{\\"password\\": \\"p w d\\"}')).toBe(`{\\"password\\": \\"${R}\\"}`);
	});

	it('redacts a password containing @ in a connection URL whole', () => {
		expect(policy.redactText('mongodb+srv://admin:p@ss@w0rd@cluster0.example.net/db')).toBe(
			`mongodb+srv://admin:${R}@cluster0.example.net/db`,
		);
	});

	it('redacts structure before serialising a result summary', async () => {
		const sink = new MemorySink();
		await new Warden({ audit: sink }).run('read', { path: '.env' }, () => ({
			body: '"aws_secret_access_key": "abc/def+ghi"',
			file: 'DB_PASSWORD=s3cr3t-value\nPORT=5432',
		}));
		const summary = sink.events.at(-1)?.resultSummary ?? '';
		expect(summary).not.toContain('abc/def+ghi');
		expect(summary).not.toContain('s3cr3t-value');
		expect(summary).toContain('PORT=5432');
	});

	it('redacts denial reasons and error messages through the same rules', async () => {
		const sink = new MemorySink();
		const token = `glpat-${'x1Y2'.repeat(5)}`;
		const warden = new Warden({
			audit: sink,
			hooks: [beforeHook('*', () => HookDecision.deny(`The token ${token} is revoked.`))],
		});
		const error = await warden
			.run('t', {}, () => 'ok')
			.then(
				() => undefined,
				(thrown: unknown) => thrown as Error,
			);
		expect(error?.message).toContain('revoked');
		expect(error?.message).not.toContain(token);
		expect(JSON.stringify(sink.events)).toContain('revoked');
		expect(JSON.stringify(sink.events)).not.toContain(token);
	});
});

describe('rule selection', () => {
	const index = new RuleIndex(CATALOGUE);
	const ids = (text: string) => index.select(text.toLowerCase()).map((rule) => rule.id);
	const always = CATALOGUE.filter((rule) => rule.needles.length === 0).map((rule) => rule.id);

	it('picks a rule by its needle only when the text is long enough for the rule', () => {
		// Mailgun's needle is `-` and its keys are at least 36 characters: a hyphenated file name does not pick it.
		expect(ids('src/file-12.ts')).toEqual(always);
		const key = `${'ab12'.repeat(8)}-1234abcd-5678ef90`;
		expect(ids(key)).toContain('mailgun');
		expect(policy.redactText(`mailgun: ${key}`)).not.toContain(key);
	});

	it('forgets what the previous text picked, in catalogue order', () => {
		expect(ids('sk-ant-api03 and ghp_ and AKIA')).toEqual(
			CATALOGUE.map((rule) => rule.id).filter((id) => ids('sk-ant-api03 and ghp_ and AKIA').includes(id)),
		);
		expect(ids('sk-ant-api03 and ghp_ and AKIA').length).toBeGreaterThan(always.length);
		// A text with needles of its own picks what a fresh index picks for it, none of the previous text's rules.
		const fresh = new RuleIndex(CATALOGUE).select('ghp_ only').map((rule) => rule.id);
		expect(fresh.length).toBeGreaterThan(always.length);
		ids('sk-ant-api03 and AKIA');
		expect(ids('ghp_ only')).toEqual(fresh);
		expect(ids('nothing to see in this sentence at all')).toEqual(always);
	});
});
