import { describe, expect, it } from 'vitest';
import {
	afterHook,
	ConfigError,
	MemorySink,
	MemoryStorage,
	precondition,
	RedactionPolicy,
	Verdict,
	Warden,
} from '../../src/index.js';

const config = (options: unknown) => () => new Warden(options as never);

describe('WardenOptions validation', () => {
	it('rejects unknown keys at every level, suggesting the likely one', () => {
		expect(config({ mdoe: 'observe' })).toThrow(/Unknown option "mdoe" in WardenOptions. Did you mean "mode"\?/);
		expect(config({ limits: { maxToolCall: 3 } })).toThrow(/Unknown option "maxToolCall" in WardenOptions.limits/);
		expect(config({ tools: { t: { sideEfect: 'read' } } })).toThrow(
			/Unknown option "sideEfect" in WardenOptions.tools.t/,
		);
		expect(config({ redaction: { secretKey: [] } })).toThrow(/RedactionOptions/);
		expect(config({ mdoe: 'x' })).toThrow(ConfigError);
	});

	it('rejects unknown modes and side effects', () => {
		expect(config({ mode: 'shadow' })).toThrow(/mode must be one of 'enforce', 'observe'; got "shadow"/);
		expect(config({ tools: { t: { sideEffect: 'dangerous' } } })).toThrow(
			/sideEffect must be one of 'pure', 'read', 'write', 'irreversible'/,
		);
	});

	it.each([-1, NaN, 1.5, '3', null])('rejects the limit %s', (value) => {
		expect(config({ limits: { maxToolCalls: value } })).toThrow(/non-negative integer or Infinity/);
		expect(config({ limits: { maxCallsPerTool: { t: value } } })).toThrow(ConfigError);
	});

	it('accepts 0 and Infinity as limits', () => {
		expect(config({ limits: { maxAttempts: Infinity, maxToolCalls: 0, maxCallsPerTool: { t: 0 } } })).not.toThrow();
	});

	it('rejects sinks without emit, hooks not made by beforeHook/afterHook, and non-contracts', () => {
		expect(config({ audit: {} })).toThrow(/audit\[0\] is not an audit sink/);
		expect(config({ audit: [new MemorySink(), { write() {} }] })).toThrow(/audit\[1\]/);
		expect(config({ hooks: [() => true] })).toThrow(/hooks\[0\] was not made by beforeHook\(\) or afterHook\(\)/);
		expect(config({ contracts: [() => Verdict.pass()] })).toThrow(
			/contracts\[0\] is not a contract \(got a function; wrap it/,
		);
		expect(config({ contracts: [null] })).toThrow(/got null/);
		expect(config({ contracts: ['rule'] })).toThrow(/got string/);
		expect(config({ contracts: [{ passed: true }] })).toThrow(/has no decorated contract methods/);
		expect(config({ contracts: 'x' })).toThrow(/must be an array/);
	});

	it('given a class instead of an instance in contracts, says to pass an instance', () => {
		class Safety {}
		expect(config({ contracts: [Safety] })).toThrow(
			/contracts\[0\] is not a contract \(got the class Safety; pass an instance instead: contracts: \[new Safety\(\)\]\)/,
		);
		expect(config({ contracts: [class {}] })).toThrow(
			/got the class; pass an instance instead: contracts: \[new MyContracts\(\)\]/,
		);
	});

	it('rejects a storage that is not a StorageBackend and a bad tracer', () => {
		expect(config({ storage: { beginAttempt() {} } })).toThrow(
			/lacks reserveExecution, recordOutcome, haltSession, resetSession, totals, update, read/,
		);
		expect(config({ tracer: {} })).toThrow(/OpenTelemetry Tracer/);
	});

	it('rejects malformed contracts and hooks where they are made', () => {
		expect(() => precondition('t', 'not a function' as never, {})).toThrow(ConfigError);
		expect(() => precondition('', () => Verdict.pass())).toThrow(/non-empty string/);
		expect(() => precondition('t', () => Verdict.pass(), { when: 'yes' } as never)).toThrow(
			/options.when must be a function/,
		);
		expect(() => afterHook('*', () => undefined, { mode: 'observe' } as never)).toThrow(/Unknown option "mode"/);
	});

	it('accepts the documented forms', () => {
		const warden = new Warden({
			mode: 'observe',
			environment: 'staging',
			sessionId: 's-1',
			redaction: new RedactionPolicy({ secretKeys: ['ssn'] }),
			storage: new MemoryStorage({ maxSessions: 10 }),
			audit: new MemorySink(),
			tools: { read: { sideEffect: 'read', idempotent: true }, sh: { shell: true }, up: { fileArg: 'src' } },
		});
		expect([warden.mode, warden.environment, warden.sessionId]).toEqual(['observe', 'staging', 's-1']);
		expect(new Warden().sessionId).not.toBe(new Warden().sessionId);
		expect(new Warden({ redaction: { maxStringLength: 100 } }).redaction.maxStringLength).toBe(100);
	});

	it('error classes carry stable names', () => {
		const error = (() => {
			try {
				new Warden({ mode: 'x' as never });
			} catch (e) {
				return e as ConfigError;
			}
		})();
		expect(error?.name).toBe('ConfigError');
		expect(error?.path).toBe('WardenOptions.mode');
	});
});
