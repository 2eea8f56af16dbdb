import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { approvalDigest, canonicalize, createEnvelope } from '../../src/index.js';

describe('canonicalize (RFC 8785)', () => {
	it('matches the RFC 8785 examples', () => {
		// RFC 8785 §3.2.2 (number and string serialisation) and §3.2.3 (sorting by UTF-16 code units).
		const numbers = { numbers: [1e30, 4.5, 2e-3, 0.000000000000000000000000001] };
		expect(canonicalize(numbers)).toBe('{"numbers":[1e+30,4.5,0.002,1e-27]}');
		const sorting = {
			'\u20ac': 'Euro Sign',
			'\r': 'Carriage Return',
			'\ufb33': 'Hebrew Letter Dalet With Dagesh',
			'1': 'One',
			'\ud83d\ude00': 'Emoji: Grinning Face',
			'\u0080': 'Control',
			'\u00f6': 'Latin Small Letter O With Diaeresis',
		};
		const text = canonicalize(sorting);
		const order = ['Carriage Return', 'One', 'Control', 'Latin Small', 'Euro Sign', 'Emoji', 'Hebrew'].map((name) =>
			text.indexOf(name),
		);
		expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
		expect(canonicalize({ b: [1, { d: true, c: null }], a: 'x\n"' })).toBe(
			'{"a":"x\\n\\"","b":[1,{"c":null,"d":true}]}',
		);
		expect(
			canonicalize({ literals: [null, true, false], string: '\u20ac$\u000f\u000aA\'\u0042\u0022\u005c\\"/' }),
		).toBe('{"literals":[null,true,false],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
	});

	it('refuses NaN and cycles', () => {
		expect(() => canonicalize({ n: NaN })).toThrow(RangeError);
		const cyclic: Record<string, unknown> = {};
		cyclic['self'] = cyclic;
		expect(() => canonicalize(cyclic)).toThrow(RangeError);
	});
});

describe('approvalDigest', () => {
	it('is SHA-256 hex of the canonical { toolName, args, sessionId, principal }, principal null when absent', () => {
		const call = createEnvelope('refund', { z: 1, a: [2] }, { sessionId: 's' });
		const expected = createHash('sha256')
			.update('{"args":{"a":[2],"z":1},"principal":null,"sessionId":"s","toolName":"refund"}')
			.digest('hex');
		expect(approvalDigest(call)).toBe(expected);
	});

	it('ignores key order and changes with any bound field', () => {
		const base = approvalDigest(createEnvelope('t', { a: 1, b: 2 }, { sessionId: 's' }));
		expect(approvalDigest(createEnvelope('t', { b: 2, a: 1 }, { sessionId: 's' }))).toBe(base);
		expect(approvalDigest(createEnvelope('t', { a: 1, b: 3 }, { sessionId: 's' }))).not.toBe(base);
		expect(approvalDigest(createEnvelope('u', { a: 1, b: 2 }, { sessionId: 's' }))).not.toBe(base);
		expect(approvalDigest(createEnvelope('t', { a: 1, b: 2 }, { sessionId: 's2' }))).not.toBe(base);
		expect(
			approvalDigest(createEnvelope('t', { a: 1, b: 2 }, { sessionId: 's', principal: { userId: 'u' } })),
		).not.toBe(base);
	});
});
