import { describe, expect, it } from 'vitest';
import { createEnvelope, Warden } from '../../src/index.js';
import { withDeclaredSpec } from '../../src/envelope/declaredSpec.js';

describe('ToolEnvelope.sideEffectDeclared', () => {
	it('is false only for the default of an unknown tool', () => {
		expect(createEnvelope('job_status', {})).toMatchObject({ sideEffect: 'irreversible', sideEffectDeclared: false });
		const registered = createEnvelope('refund', {}, { tools: { refund: { sideEffect: 'irreversible' } } });
		expect(registered).toMatchObject({ sideEffect: 'irreversible', sideEffectDeclared: true });
		expect(createEnvelope('Bash', { command: 'ls' })).toMatchObject({ sideEffect: 'read', sideEffectDeclared: true });
		expect(createEnvelope('Bash', { command: 'rm x' })).toMatchObject({
			sideEffect: 'irreversible',
			sideEffectDeclared: true,
		});
		// A shell tool without a command string was classified from nothing: unknown.
		expect(createEnvelope('Bash', { cmd: 'ls' })).toMatchObject({
			sideEffect: 'irreversible',
			sideEffectDeclared: false,
		});
		// A registry entry without a side effect declares none.
		const fileArgOnly = createEnvelope('up', {}, { tools: { up: { fileArg: 'src' } } });
		expect(fileArgOnly.sideEffectDeclared).toBe(false);
	});

	it('an adapter declaration fills what the registry leaves open; the registry wins field by field', async () => {
		const warden = new Warden({ tools: { list: { sideEffect: 'write' }, up: { fileArg: 'src' } } });
		const declared = (name: string, args: object) =>
			warden.begin(name, args, withDeclaredSpec({}, { sideEffect: 'read', idempotent: true }));
		const list = await declared('list', {});
		expect(list.envelope).toMatchObject({ sideEffect: 'write', sideEffectDeclared: true, idempotent: true });
		const up = await declared('up', { src: 'a.bin' });
		expect(up.envelope).toMatchObject({ sideEffect: 'read', sideEffectDeclared: true, filePaths: ['a.bin'] });
		const plain = await warden.begin('other', {}, withDeclaredSpec({ callId: 'c1' }, undefined));
		expect(plain.envelope).toMatchObject({ sideEffect: 'irreversible', sideEffectDeclared: false, callId: 'c1' });
		for (const call of [list, up, plain]) await call.succeed(null);
	});
});
