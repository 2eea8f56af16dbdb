import { describe, expect, it } from 'vitest';
import { MemorySink, RedactionPolicy, Warden } from '../../src/index.js';
import { adversarialInputs } from '../fixtures/adversarial.js';

const inputs = adversarialInputs();

/** CPU time of `run` in ms: other processes on a busy CI machine do not count, a stall in our code does. */
function cpuMs(run: () => unknown): number {
	const start = process.cpuUsage();
	run();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

describe('redaction of adversarial input is linear and bounded per event', () => {
	it.each(inputs.map((input) => [input.name, input] as const))(
		'%s: the whole event redacted in < 200 ms of CPU',
		(_name, input) => {
			const policy = new RedactionPolicy();
			// Warm the code paths once on a small input, so the bound measures the input, not the JIT.
			policy.redact({ warm: 'token=abc mysql -pabc https://a:b@c' });
			const ms = cpuMs(() => policy.redact({ args: input.args, result: input.result }));
			expect(ms).toBeLessThan(200);
		},
	);

	it.each(inputs.map((input) => [input.name, input] as const))(
		'%s: through a Warden, an event within the cap, never a crash',
		async (_name, input) => {
			const sink = new MemorySink();
			const warden = new Warden({ audit: sink });
			const started = Date.now();
			await warden.run('adversarial', input.args, () => input.result).catch(() => undefined);
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(sink.events.length).toBeGreaterThan(0);
			for (const event of sink.events) expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(32_768);
		},
	);

	it('every pattern is linear on 1 MB of its own worst text (no per-string cap to hide behind)', () => {
		const policy = new RedactionPolicy({ maxStringLength: 1 << 21, maxEventBytes: 1 << 21 });
		policy.redactText('warm up: token=abc mysql -pabc https://a:b@c eyJabcdefghij.eyJabcdefghij');
		const slow: string[] = [];
		for (const input of inputs) {
			const text = input.args.text;
			if (typeof text !== 'string') continue;
			const ms = cpuMs(() => policy.redactText(text));
			if (ms > 400) slow.push(`${input.name}: ${ms.toFixed(0)} ms`);
		}
		expect(slow).toEqual([]);
	});

	it('says so when the budget is spent: a marker, never text left unscanned', () => {
		const policy = new RedactionPolicy();
		const secret = `ghp_${'a1B2'.repeat(9)}`;
		const out = JSON.stringify(
			policy.redact({ parts: Array.from({ length: 400 }, () => `${'x'.repeat(3990)} ${secret}`) }),
		);
		expect(out).toContain('redaction budget spent');
		expect(out).not.toContain(secret);
		const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
		expect(JSON.stringify(policy.redact(wide))).toContain('redaction budget spent, more keys not shown');
	});

	it('keeps lone surrogates and binary text JSON-safe', () => {
		const policy = new RedactionPolicy();
		const out = policy.redact({ text: '\ud800 token=abc123 \udfff', bin: '\u0000\u0001\uffff' });
		expect(() => JSON.parse(JSON.stringify(out)) as unknown).not.toThrow();
		expect(JSON.stringify(out)).not.toContain('abc123');
	});
});
