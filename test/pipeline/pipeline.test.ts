import { describe, expect, it } from 'vitest';
import {
	afterHook,
	beforeHook,
	HookDecision,
	MemorySink,
	postcondition,
	precondition,
	sessionContract,
	ToolCallDenied,
	Verdict,
	Warden,
	type WardenOptions,
} from '../../src/index.js';

const fail = (message: string) => () => Verdict.fail(message);
const pass = () => Verdict.pass();
const noop = async () => 'ok';

async function denial(warden: Warden, tool = 't', args: object = {}): Promise<ToolCallDenied> {
	const error = await warden.run(tool, args, noop).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(ToolCallDenied);
	return error as ToolCallDenied;
}

describe('pipeline order (API §5)', () => {
	it('evaluates hooks, preconditions, session contracts, then limits; first denial wins and stops evaluation', async () => {
		const trail: string[] = [];
		const track = (name: string, ok: boolean) =>
			function tracked() {
				trail.push(name);
				return ok ? Verdict.pass() : Verdict.fail(`${name} failed`);
			};
		const warden = new Warden({
			hooks: [beforeHook('*', () => (trail.push('hook'), HookDecision.allow()))],
			contracts: [
				sessionContract(track('session', false)),
				precondition('*', track('pre1', true)),
				precondition('*', track('pre2', false)),
				precondition('*', track('pre3', false)),
			],
		});
		const error = await denial(warden);
		expect(trail).toEqual(['hook', 'pre1', 'pre2']);
		expect(error).toMatchObject({ source: 'precondition', rule: 'tracked', reason: 'pre2 failed', toolName: 't' });
		expect(error.message).toBe('pre2 failed');
		expect(error.decision.contracts.map((c) => c.passed)).toEqual([true, false]);
	});

	it('a before-hook denial stops before the preconditions', async () => {
		let preconditionRan = false;
		const warden = new Warden({
			hooks: [beforeHook('*', () => HookDecision.deny('Not now; try after the freeze.'), { name: 'freeze' })],
			contracts: [precondition('*', () => ((preconditionRan = true), Verdict.pass()))],
		});
		const error = await denial(warden);
		expect(error).toMatchObject({ source: 'hook', rule: 'freeze', reason: 'Not now; try after the freeze.' });
		expect(error.decision.hooks).toEqual([
			{ name: 'freeze', result: 'deny', reason: 'Not now; try after the freeze.' },
		]);
		expect(preconditionRan).toBe(false);
	});

	it('session contracts see a snapshot: attempts include this call, executions do not', async () => {
		const seen: Array<[number, number, number]> = [];
		const warden = new Warden({
			contracts: [
				sessionContract((s) => (seen.push([s.attempts, s.executions, s.toolExecutions('t')]), Verdict.pass())),
			],
		});
		await warden.run('t', {}, noop);
		await warden.run('t', {}, noop);
		await warden.run('u', {}, noop);
		expect(seen).toEqual([
			[1, 0, 0],
			[2, 1, 1],
			[3, 2, 2],
		]);
	});

	it('selectors pick tools by exact name, glob and array; when filters', async () => {
		const hits: string[] = [];
		const record = (name: string) => () => (hits.push(name), Verdict.pass());
		const warden = new Warden({
			contracts: [
				precondition('db.query', record('exact')),
				precondition('db.*', record('glob')),
				precondition(['fs_read', 'fs_*'], record('array')),
				precondition('*', record('all'), { when: (call) => call.args['important'] === true }),
				precondition('*', record('async-when'), { when: async () => true }),
			],
		});
		await warden.run('db.query', {}, noop);
		await warden.run('db.admin.drop', {}, noop);
		await warden.run('fs_write', { important: true }, noop);
		await warden.run('DB.query', {}, noop); // case-sensitive
		expect(hits).toEqual([
			'exact',
			'glob',
			'async-when',
			'glob',
			'async-when',
			'array',
			'all',
			'async-when',
			'async-when',
		]);
	});
});

describe('limits', () => {
	it('maxAttempts N allows exactly N attempts, denied ones included', async () => {
		const warden = new Warden({ limits: { maxAttempts: 3 }, contracts: [precondition('bad', fail('no'))] });
		await denial(warden, 'bad');
		await warden.run('t', {}, noop);
		await warden.run('t', {}, noop);
		const error = await denial(warden);
		expect(error).toMatchObject({ source: 'attempt_limit', rule: 'maxAttempts' });
		expect(error.reason).toMatch(/at most 3 tool calls/);
	});

	it('maxToolCalls counts executions (a failed one too); 0 allows nothing; Infinity is unlimited', async () => {
		const warden = new Warden({ limits: { maxToolCalls: 2 } });
		await expect(warden.run('t', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await warden.run('t', {}, noop);
		expect(await denial(warden)).toMatchObject({ source: 'execution_limit', rule: 'maxToolCalls' });
		expect(await denial(new Warden({ limits: { maxToolCalls: 0 } }))).toMatchObject({ rule: 'maxToolCalls' });
		const unlimited = new Warden({ limits: { maxToolCalls: Infinity, maxAttempts: Infinity } });
		for (let i = 0; i < 300; i++) await unlimited.run('t', {}, noop);
	});

	it('maxCallsPerTool limits one tool and names it', async () => {
		const warden = new Warden({ limits: { maxCallsPerTool: { refund: 1 } } });
		await warden.run('refund', {}, noop);
		const error = await denial(warden, 'refund');
		expect(error).toMatchObject({ source: 'tool_limit', rule: 'maxCallsPerTool' });
		expect(error.reason).toMatch(/"refund" may run at most 1 time per session/);
		await expect(warden.run('other', {}, noop)).resolves.toBe('ok');
	});

	it('1000 concurrent calls with maxToolCalls 100 execute exactly 100', async () => {
		const warden = new Warden({
			limits: { maxToolCalls: 100, maxAttempts: Infinity },
			contracts: [precondition('*', async () => Verdict.pass())],
		});
		let executed = 0;
		const results = await Promise.allSettled(
			Array.from({ length: 1000 }, () =>
				warden.run('t', {}, async () => {
					executed++;
					await new Promise((resolve) => setImmediate(resolve));
				}),
			),
		);
		expect(executed).toBe(100);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
		const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(rejected).toHaveLength(900);
		expect(rejected.every((r) => r.reason instanceof ToolCallDenied && r.reason.source === 'execution_limit')).toBe(
			true,
		);
	});

	it('limits are per session', async () => {
		const warden = new Warden({ limits: { maxToolCalls: 1 } });
		await warden.run('t', {}, noop, { sessionId: 'a' });
		await warden.run('t', {}, noop, { sessionId: 'b' });
		await expect(warden.run('t', {}, noop, { sessionId: 'a' })).rejects.toBeInstanceOf(ToolCallDenied);
		await warden.resetSession('a');
		await expect(warden.run('t', {}, noop, { sessionId: 'a' })).resolves.toBe('ok');
	});
});

describe('observe mode', () => {
	const rules = (): WardenOptions => ({
		hooks: [beforeHook('*', () => HookDecision.deny('hook says no'), { name: 'h' })],
		contracts: [
			precondition('*', fail('pre says no'), { name: 'p' }),
			sessionContract(fail('session says no'), { name: 's' }),
		],
		limits: { maxToolCalls: 0 },
	});

	it('runs the tool, evaluates every step and records every failure as would-deny', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ ...rules(), mode: 'observe', audit: sink });
		let ran = false;
		await warden.run('t', {}, async () => {
			ran = true;
		});
		expect(ran).toBe(true);
		const call = await warden.begin('t', {});
		expect(call.allowed).toBe(true);
		expect(call.decision).toMatchObject({
			action: 'allow',
			mode: 'observe',
			source: 'hook',
			rule: 'h',
			reason: 'hook says no',
		});
		expect(call.decision.wouldDeny).toEqual([
			{ source: 'hook', rule: 'h', reason: 'hook says no' },
			{ source: 'precondition', rule: 'p', reason: 'pre says no' },
			{ source: 'session_contract', rule: 's', reason: 'session says no' },
			{ source: 'execution_limit', rule: 'maxToolCalls', reason: expect.stringMatching(/at most 0/) as string },
		]);
		expect(call.decision.contracts.every((c) => !c.passed && c.observed === true)).toBe(true);
		await call.succeed('x');
		expect(sink.events.map((e) => e.action)).toEqual([
			'call_would_deny',
			'call_executed',
			'call_would_deny',
			'call_executed',
		]);
	});

	it('the same rules deny in enforce mode', async () => {
		const error = await denial(new Warden(rules()));
		expect(error.decision.wouldDeny).toEqual([]);
		expect(error.source).toBe('hook');
	});

	it('an observe-mode contract in an enforcing Warden never blocks; an enforcing rule after it still denies', async () => {
		const trial = precondition('*', fail('trial rule'), { name: 'trial', mode: 'observe' });
		const onlyTrial = new Warden({ contracts: [trial] });
		const call = await onlyTrial.begin('t', {});
		expect(call.decision).toMatchObject({
			action: 'allow',
			mode: 'enforce',
			source: 'precondition',
			rule: 'trial',
			reason: 'trial rule',
		});
		expect(call.decision.wouldDeny).toEqual([{ source: 'precondition', rule: 'trial', reason: 'trial rule' }]);

		const both = new Warden({ contracts: [trial, precondition('*', fail('hard rule'), { name: 'hard' })] });
		const error = await denial(both);
		expect(error).toMatchObject({ rule: 'hard', reason: 'hard rule' });
		expect(error.decision.wouldDeny).toEqual([{ source: 'precondition', rule: 'trial', reason: 'trial rule' }]);
		expect(error.decision.contracts).toEqual([
			{ name: 'trial', type: 'precondition', passed: false, message: 'trial rule', observed: true },
			{ name: 'hard', type: 'precondition', passed: false, message: 'hard rule' },
		]);
	});
});

describe('fail closed', () => {
	it.each([
		['returns true', () => true, /returned a boolean instead of a Verdict/],
		['returns undefined', () => undefined, /returned undefined instead of a Verdict/],
		['returns a look-alike object', () => ({ passed: true }), /returned a plain object instead of a Verdict/],
		[
			'throws',
			() => {
				throw new RangeError('bad index');
			},
			/threw RangeError: bad index/,
		],
		['rejects', () => Promise.reject(new Error('async boom')), /threw Error: async boom/],
		['resolves to a non-Verdict', async () => 'yes', /returned a string/],
	])('a contract that %s denies with source policy_error naming it', async (_label, check, message) => {
		const warden = new Warden({ contracts: [precondition('*', check as never, { name: 'flaky' })] });
		const error = await denial(warden);
		expect(error).toMatchObject({ source: 'policy_error', rule: 'flaky' });
		expect(error.reason).toMatch(/Contract "flaky"/);
		expect(error.reason).toMatch(message);
	});

	it('a throwing when denies like its contract', async () => {
		const warden = new Warden({
			contracts: [
				precondition('*', pass, {
					name: 'w',
					when: () => {
						throw new Error('when broke');
					},
				}),
			],
		});
		expect(await denial(warden)).toMatchObject({ source: 'policy_error', rule: 'w' });
	});

	it('a hook that throws or returns a non-decision denies with policy_error', async () => {
		const throwing = new Warden({
			hooks: [
				beforeHook(
					'*',
					() => {
						throw new Error('hook broke');
					},
					{ name: 'bad' },
				),
			],
		});
		const error = await denial(throwing);
		expect(error).toMatchObject({ source: 'policy_error', rule: 'bad' });
		expect(error.reason).toMatch(/Hook "bad" threw Error: hook broke/);
		const wrong = new Warden({ hooks: [beforeHook('*', () => ({ allowed: true }), { name: 'fake' })] });
		expect(await denial(wrong)).toMatchObject({ source: 'policy_error', rule: 'fake' });
	});

	it('a throwing contract in observe mode is recorded, not blocking', async () => {
		const warden = new Warden({
			mode: 'observe',
			contracts: [
				precondition(
					'*',
					() => {
						throw new Error('x');
					},
					{ name: 'c' },
				),
			],
		});
		const call = await warden.begin('t', {});
		expect(call.allowed).toBe(true);
		expect(call.decision.wouldDeny).toEqual([
			{ source: 'policy_error', rule: 'c', reason: expect.stringMatching(/threw Error: x/) as string },
		]);
	});

	it('unnamed rules are named after their function, else after kind, selector and position (never anonymous)', async () => {
		function namedCheck() {
			return Verdict.fail('nope');
		}
		expect(await denial(new Warden({ contracts: [precondition('*', namedCheck)] }))).toMatchObject({
			rule: 'namedCheck',
		});
		expect(
			await denial(
				new Warden({
					contracts: [
						precondition(
							'*',
							(
								() => () =>
									Verdict.fail('nope')
							)(),
						),
					],
				}),
			),
		).toMatchObject({ rule: 'precondition(*)#1' });
	});

	it('caps rule messages at 500 characters', async () => {
		const error = await denial(new Warden({ contracts: [precondition('*', fail('x'.repeat(2000)))] }));
		expect(error.reason).toHaveLength(500);
		expect(error.reason.endsWith('...')).toBe(true);
		expect(HookDecision.deny('y'.repeat(600)).reason).toHaveLength(500);
	});

	it('Verdict and HookDecision refuse an empty message', () => {
		expect(() => Verdict.fail('')).toThrow(TypeError);
		expect(() => HookDecision.deny(undefined as never)).toThrow(TypeError);
		expect(Object.isFrozen(Verdict.fail('m', { k: 1 }))).toBe(true);
	});
});

describe('after the run', () => {
	it('postconditions warn and never block; after-hooks see the outcome', async () => {
		const outcomes: unknown[] = [];
		const warden = new Warden({
			contracts: [
				postcondition(
					'*',
					(_call, result) => (result === 'bad' ? Verdict.fail('Result looks wrong; double-check it.') : Verdict.pass()),
					{ name: 'sane' },
				),
			],
			hooks: [afterHook('*', (_call, outcome) => void outcomes.push(outcome))],
		});
		await expect(warden.run('t', {}, () => 'bad')).resolves.toBe('bad');
		const call = await warden.begin('t', {});
		const post = await call.succeed('bad');
		expect(post).toEqual({
			ok: true,
			postconditionsPassed: false,
			warnings: ['Result looks wrong; double-check it.'],
			contracts: [
				{ name: 'sane', type: 'postcondition', passed: false, message: 'Result looks wrong; double-check it.' },
			],
		});
		const failing = await warden.begin('t', {});
		const error = new Error('tool broke');
		const failedPost = await failing.fail(error);
		expect(failedPost).toMatchObject({ ok: false, postconditionsPassed: true, contracts: [] });
		expect(outcomes).toEqual([
			{ ok: true, result: 'bad' },
			{ ok: true, result: 'bad' },
			{ ok: false, error },
		]);
	});

	it('a throwing postcondition is a warning; a throwing after-hook is recorded and never breaks the call', async () => {
		const warden = new Warden({
			contracts: [
				postcondition(
					'*',
					() => {
						throw new Error('post broke');
					},
					{ name: 'p' },
				),
			],
			hooks: [
				afterHook(
					'*',
					() => {
						throw new Error('after broke');
					},
					{ name: 'a' },
				),
			],
		});
		const call = await warden.begin('t', {});
		const post = await call.succeed(1);
		expect(post.postconditionsPassed).toBe(false);
		expect(post.warnings).toEqual([
			expect.stringMatching(/Contract "p" threw Error: post broke/),
			'After-hook "a" threw Error: after broke',
		]);
		await expect(warden.run('t', {}, () => 7)).resolves.toBe(7);
	});
});
