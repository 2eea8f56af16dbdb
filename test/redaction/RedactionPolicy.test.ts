import { describe, expect, it } from 'vitest';
import { ConfigError, RedactionPolicy } from '../../src/index.js';

const policy = new RedactionPolicy();
const R = '[REDACTED]';

describe('RedactionPolicy: secret-named keys', () => {
	it('redacts secret keys at any depth, in any case and separator style', () => {
		const input = {
			user: 'ann',
			password: 'p',
			deep: {
				list: [
					{
						API_KEY: 'k',
						apiKey: 'k',
						'x-api-key': 'k',
						accessToken: 't',
						client_secret: 's',
						Authorization: 'a',
						cookie: 'c',
						'Set-Cookie': 'c',
						private_key: 'p',
						session: 's',
						credentials: { u: 1 },
					},
				],
			},
		};
		expect(policy.redact(input)).toEqual({
			user: 'ann',
			password: R,
			deep: {
				list: [
					{
						API_KEY: R,
						apiKey: R,
						'x-api-key': R,
						accessToken: R,
						client_secret: R,
						Authorization: R,
						cookie: R,
						'Set-Cookie': R,
						private_key: R,
						session: R,
						credentials: R,
					},
				],
			},
		});
	});

	it('does not redact words that merely contain "key" or count tokens', () => {
		const input = {
			keyboard: 'qwerty',
			monkey: 'george',
			key: 'name',
			max_tokens: 512,
			token_count: 3,
			tokens: ['a'],
			author: 'x',
			sort_key: 'date',
		};
		expect(policy.redact(input)).toEqual(input);
	});

	it('adds user keys to the defaults, or replaces them when asked', () => {
		const custom = new RedactionPolicy({ secretKeys: ['ssn', 'cardNumber'] });
		expect(custom.redact({ ssn: '1', card_number: '2', password: '3', name: 'n' })).toEqual({
			ssn: R,
			card_number: R,
			password: R,
			name: 'n',
		});
		const only = new RedactionPolicy({ secretKeys: ['ssn'], replaceDefaultKeys: true });
		expect(only.redact({ ssn: '1', password: 'plain' })).toEqual({ ssn: R, password: 'plain' });
	});
});

describe('RedactionPolicy: keys in text follow the key rules', () => {
	it('redacts key=value and key: value in text when the key names a secret', () => {
		expect(policy.redactText('db_password: hunter22 retries: 3')).toBe(`db_password: ${R} retries: 3`);
		expect(policy.redactText('{"client_secret": "abc123xyz", "client_id": "app"}')).toBe(
			`{"client_secret": "${R}", "client_id": "app"}`,
		);
	});

	it('leaves descriptive keys, counters and code alone', () => {
		for (const text of [
			'password_reset_url: https://x.test/reset',
			'secret_name: prod-db',
			'max_tokens: 512',
			'token_type: Bearer',
			'const token = getToken();',
			'token = $DEPLOY_TOKEN',
			'password: <your password>',
		]) {
			expect(policy.redactText(text)).toBe(text);
		}
	});

	it('applies custom secret keys to text too', () => {
		const custom = new RedactionPolicy({ secretKeys: ['ssn'] });
		expect(custom.redactText('patient ssn=123-45-6789 seen')).toBe(`patient ssn=${R} seen`);
		expect(custom.redactText('ssn_hint: last four')).toBe('ssn_hint: last four');
	});
});

describe('RedactionPolicy: pino paths', () => {
	it('redacts exact locations in args, principal and metadata, without touching the input', async () => {
		const { MemorySink, Warden } = await import('../../src/index.js');
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			redaction: {
				paths: ['args.card.number', 'args.users[*].email', 'principal.claims.employeeNo', 'metadata.ticket'],
			},
		});
		const args = {
			card: { number: '4111 1111 1111 1111', exp: '12/30' },
			users: [
				{ email: 'a@x.test', name: 'A' },
				{ email: 'b@x.test', name: 'B' },
			],
		};
		await warden.run('pay', args, () => 'ok', {
			principal: { userId: 'u', claims: { employeeNo: 'E-77' } },
			metadata: { ticket: 'T-1', trace: 'tr' },
		});
		const event = sink.events[0];
		expect(event?.toolArgs).toEqual({
			card: { number: R, exp: '12/30' },
			users: [
				{ email: R, name: 'A' },
				{ email: R, name: 'B' },
			],
		});
		expect(event?.principal).toEqual({ userId: 'u', claims: { employeeNo: R } });
		expect(event?.metadata).toEqual({ ticket: R, trace: 'tr' });
		expect(args.card.number).toBe('4111 1111 1111 1111');
	});

	it('validates paths: rooted, no **, well-formed', () => {
		expect(() => new RedactionPolicy({ paths: ['args.**.token'] })).toThrow(/"\*\*", which is not supported/);
		expect(() => new RedactionPolicy({ paths: ['card.number'] })).toThrow(
			/must start with args, principal or metadata/,
		);
		expect(() => new RedactionPolicy({ paths: ['args..x'] })).toThrow(ConfigError);
		expect(() => new RedactionPolicy({ paths: [''] })).toThrow(/non-empty/);
	});
});

describe('RedactionPolicy: secret-shaped values anywhere in a string', () => {
	it.each([
		['openai', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD'],
		['anthropic', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'],
		['aws access key id', 'AKIAIOSFODNN7EXAMPLE'],
		['github', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
		['gitlab', 'glpat-abcdefghij0123456789'],
		['slack', 'xoxb-123456789012-abcdefghijkl'],
		['stripe', 'sk_live_abcdefghijklmnop1234'],
		['google', 'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234'],
		['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.abcdefghijk'],
		['npm', 'npm_abcdefghijklmnopqrstuvwxyz0123456789'],
	])('%s: alone, in prose, and in a command', (_name, secret) => {
		expect(policy.redactText(secret)).toBe(R);
		expect(policy.redactText(`the key is ${secret}, use it`)).toBe(`the key is ${R}, use it`);
		expect(policy.redactText(`curl -H "X: ${secret}" https://x.test`)).not.toContain(secret);
		expect(policy.redact({ nested: [{ note: `see ${secret}` }] })).toEqual({ nested: [{ note: `see ${R}` }] });
	});

	it('redacts credentials in URLs, keeping the rest', () => {
		expect(policy.redactText('connect postgres://admin:s3cr3t@db.internal:5432/app now')).toBe(
			`connect postgres://admin:${R}@db.internal:5432/app now`,
		);
		expect(policy.redactText('redis://:pw123456@cache:6379')).toBe(`redis://:${R}@cache:6379`);
	});

	it('redacts credentials in shell commands without mangling ordinary flags', () => {
		expect(policy.redactText('export GITHUB_TOKEN=abc123def456')).toBe(`export GITHUB_TOKEN=${R}`);
		expect(policy.redactText('psql --password=hunter22 -h db')).toBe(`psql --password=${R} -h db`);
		expect(policy.redactText('login --password hunter22 --no-pager')).toBe(`login --password ${R} --no-pager`);
		expect(policy.redactText('mysql -u root -phunter22 app')).toBe(`mysql -u root -p${R} app`);
		expect(policy.redactText('curl -u ann:hunter22 https://x.test')).toBe(`curl -u ann:${R} https://x.test`);
		expect(policy.redactText('curl -H "Authorization: Bearer abc.def.ghi123" x')).toBe(
			`curl -H "Authorization: Bearer ${R}" x`,
		);
		for (const safe of ['mkdir -p build/dir', 'git --no-pager log', 'ls -la --color=auto', 'npm run build -- --watch'])
			expect(policy.redactText(safe)).toBe(safe);
	});

	it('leaves ordinary text alone', () => {
		for (const benign of [
			'd41d8cd98f00b204e9800998ecf8427e',
			'123e4567-e89b-12d3-a456-426614174000',
			'Use a Bearer token in the Authorization header.',
			'Basic authentication is deprecated.',
			'The tokenizer splits text into tokens.',
			'src/components/PasswordField.tsx',
			'passwd=x-abcd-efgh-ijkl-mnopqrstuvwx'.replace('passwd=', 'id='),
		]) {
			expect(policy.redactText(benign)).toBe(benign);
		}
	});

	it('a 36-character secret assignment with dashes is not mistaken for a UUID', () => {
		expect(policy.redactText('passwd=x-abcd-efgh-ijkl-mnopqrstuvwx')).toBe(`passwd=${R}`);
	});

	it('applies custom patterns', () => {
		const custom = new RedactionPolicy({ patterns: [/\bEMP-\d{6}\b/] });
		expect(custom.redactText('employee EMP-123456 and EMP-654321')).toBe(`employee ${R} and ${R}`);
	});
});

describe('RedactionPolicy: size caps and robustness', () => {
	it('cuts long strings with a marker, redacting a secret that straddles the cut', () => {
		const small = new RedactionPolicy({ maxStringLength: 100 });
		const out = small.redactText(
			`${'x'.repeat(90)} sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 ${'y'.repeat(1000)}`,
		);
		expect(out.startsWith('x'.repeat(90))).toBe(true);
		expect(out).toMatch(/…\[TRUNCATED \d+ chars\]$/);
		expect(out).not.toMatch(/sk-ant|abcdefghij/);
	});

	it('caps arrays and depth, and survives cycles, throwing getters, exotic values', () => {
		const cyclic: Record<string, unknown> = { a: 1 };
		cyclic['self'] = cyclic;
		const out = new RedactionPolicy({ maxArrayItems: 2 }).redact({
			cyclic,
			list: [1, 2, 3, 4],
			big: 10n,
			fn: function named() {},
			sym: Symbol('s'),
			date: new Date(0),
			map: new Map([[1, 2]]),
			bytes: new Uint8Array(3),
			err: new Error('token=abcdef123'),
			get boom(): never {
				throw new Error('x');
			},
		});
		expect(out).toEqual({
			cyclic: { a: 1, self: '[Circular]' },
			list: [1, 2, '…[TRUNCATED 2 items]'],
			big: '10',
			fn: '[Function named]',
			sym: 'Symbol(s)',
			date: '1970-01-01T00:00:00.000Z',
			map: '[Map(1)]',
			bytes: '[Uint8Array(3 bytes)]',
			err: { name: 'Error', message: `token=${R}` },
			boom: '[Unreadable]',
		});
		let deep: Record<string, unknown> = {};
		const root = deep;
		for (let i = 0; i < 100; i++) deep = deep['n'] = {};
		expect(JSON.stringify(policy.redact(root))).toContain('[Truncated]');
	});

	it('never mutates its input', () => {
		const input = { password: 'p', note: 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789' };
		policy.redact(input);
		expect(input.password).toBe('p');
		expect(input.note).toMatch(/^sk-ant/);
	});

	it('validates its options', () => {
		expect(() => new RedactionPolicy({ secretKey: ['x'] } as never)).toThrow(/Did you mean "secretKeys"/);
		expect(() => new RedactionPolicy({ patterns: ['x'] as never })).toThrow(ConfigError);
		expect(() => new RedactionPolicy({ maxEventBytes: 10 })).toThrow(/at least 1024/);
		expect(() => new RedactionPolicy({ maxStringLength: 0 })).toThrow(/at least 1/);
	});
});
