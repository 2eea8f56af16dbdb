import { afterEach, describe, expect, it, vi } from 'vitest';
import { circuitBreaker, classifyError, Warden } from '../../src/index.js';

const err = (props: Record<string, unknown>, name = 'Error') => Object.assign(new Error('upstream'), { name }, props);
const failWith = (warden: Warden, tool: string, error: Error, args: object = {}) =>
	warden.run(tool, args, () => Promise.reject(error)).catch((e: unknown) => e);

describe('classifyError', () => {
	it.each([
		[err({ status: 401 }), '401'],
		[err({ statusCode: 403 }), '403'],
		[err({ response: { status: 429 } }), '429'],
		[err({ status: 503 }), '5xx'],
		[err({ status: 422 }), 'validation'],
		[err({ code: 'ECONNREFUSED' }), 'connection'],
		[err({ code: 'ECONNRESET' }), 'connection'],
		[err({ code: 'ENOTFOUND' }), 'connection'],
		[err({ code: 'EAI_AGAIN' }), 'connection'],
		[err({ code: 'ETIMEDOUT' }), 'timeout'],
		[err({}, 'TimeoutError'), 'timeout'],
		[err({}, 'AbortError'), 'timeout'],
		[Object.assign(new TypeError('fetch failed'), { cause: err({ code: 'ECONNREFUSED' }) }), 'connection'],
		[new Error('plain'), 'other'],
		['a string', 'other'],
	])('%o is %s', (error, expected) => {
		expect(classifyError(error)).toBe(expected);
	});
});

describe('circuitBreaker', () => {
	afterEach(() => vi.useRealTimers());

	it('2 consecutive retryable failures of one class open the breaker and quarantine the tool', async () => {
		const warden = new Warden({ contracts: [circuitBreaker()] });
		await failWith(warden, 'api', err({ status: 429 }));
		await failWith(warden, 'api', err({ status: 429 }), { other: 'args' });
		const call = await warden.begin('api', {});
		expect(call.allowed).toBe(false);
		expect(call.decision).toMatchObject({ source: 'behavior', rule: 'circuitBreaker' });
		expect(call.decision.reason).toMatch(
			/was rate limited \(429\) 2 times in a row, so it is quarantined for the rest of this session\. Stop retrying/,
		);
		expect((await warden.report()).quarantined.map((q) => q.tool)).toEqual(['api']);
		expect((await warden.begin('other_tool', {})).allowed).toBe(true);
	});

	it('3 consecutive failures of any class open it; non-retryable pairs do not', async () => {
		const warden = new Warden({ contracts: [circuitBreaker()] });
		await failWith(warden, 'api', err({ status: 400 }));
		await failWith(warden, 'api', err({ status: 400 }));
		expect((await warden.begin('api', {})).allowed).toBe(true);
		await failWith(warden, 'api', err({ status: 401 }));
		expect((await warden.begin('api', {})).decision.reason).toMatch(/failed 3 times in a row/);
	});

	it('a success resets the count', async () => {
		const warden = new Warden({ contracts: [circuitBreaker()] });
		await failWith(warden, 'api', err({ status: 503 }));
		await warden.run('api', {}, () => 'ok');
		await failWith(warden, 'api', err({ status: 503 }));
		expect((await warden.begin('api', {})).allowed).toBe(true);
	});

	it('goes half-open after the cooldown: one trial; failure reopens, success closes', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const warden = new Warden({ contracts: [circuitBreaker({ cooldownMs: 10_000 })] });
		await failWith(warden, 'api', err({ code: 'ETIMEDOUT' }));
		await failWith(warden, 'api', err({ code: 'ETIMEDOUT' }));
		expect((await warden.begin('api', {})).allowed).toBe(false);
		vi.advanceTimersByTime(10_001);
		const trial = await warden.begin('api', {});
		expect(trial.allowed).toBe(true);
		expect((await warden.begin('api', {})).allowed).toBe(false); // one trial at a time
		await trial.fail(err({ code: 'ETIMEDOUT' }));
		expect((await warden.begin('api', {})).allowed).toBe(false);
		vi.advanceTimersByTime(10_001);
		await warden.run('api', {}, () => 'recovered');
		expect((await warden.begin('api', {})).allowed).toBe(true);
	});

	it('validates options', () => {
		expect(() => circuitBreaker({ cooldown: 5 } as never)).toThrow(/Did you mean "cooldownMs"/);
		expect(() => circuitBreaker({ anyFailures: 0 })).toThrow(/at least 1/);
	});
});
