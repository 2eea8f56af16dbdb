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
} from '../../src/index.js';

const fail = () => Verdict.fail('no');

describe('function-form rule names (issue 15: never anonymous)', () => {
	it('given options.name, the name is used', async () => {
		const warden = new Warden({ contracts: [precondition('*', fail, { name: 'explicit' })] });
		const error = await warden.run('t', {}, () => 1).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ToolCallDenied);
		expect((error as ToolCallDenied).rule).toBe('explicit');
	});

	it('given a named function, its own name is used (a bound one without "bound ")', () => {
		function noSecrets() {
			return Verdict.pass();
		}
		expect(precondition('*', noSecrets).name).toBe('noSecrets');
		expect(sessionContract(noSecrets.bind(null)).name).toBe('noSecrets');
		const named = () => Verdict.pass();
		expect(postcondition('*', named).name).toBe('named');
	});

	it('given inline functions, names come from kind, selector and 1-based position in contracts / hooks', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			mode: 'observe',
			audit: sink,
			contracts: [
				precondition('*', fail, { name: 'first' }),
				precondition('read_file', () => fail()),
				precondition(['read_file', 'fs_*'], () => fail()),
				sessionContract(() => fail()),
			],
			hooks: [afterHook('*', () => undefined), beforeHook('read_file', () => HookDecision.deny('no'))],
		});
		await warden.run('read_file', { path: 'x' }, () => 'ok');
		const rules = sink.events[0]?.wouldDeny.map((denial) => denial.rule);
		expect(rules).toEqual([
			'beforeHook(read_file)#2',
			'first',
			'precondition(read_file)#2',
			'precondition(read_file,fs_*)#3',
			'sessionContract#4',
		]);
		expect(rules?.some((rule) => rule.includes('anonymous'))).toBe(false);
	});

	it('given an unregistered contract, its name has the kind and selector but no position yet', () => {
		expect(precondition('read_file', () => Verdict.pass()).name).toBe('precondition(read_file)');
		expect(beforeHook(['a', 'b'], () => HookDecision.allow()).name).toBe('beforeHook(a,b)');
		expect(afterHook('*', () => undefined).name).toBe('afterHook(*)');
	});

	it('a denial by an unnamed hook in enforce mode names the derived rule', async () => {
		const warden = new Warden({ hooks: [beforeHook('refund', () => HookDecision.deny('after hours'))] });
		const error = (await warden.run('refund', {}, () => 1).catch((e: unknown) => e)) as ToolCallDenied;
		expect(error.rule).toBe('beforeHook(refund)#1');
	});
});
