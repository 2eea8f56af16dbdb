import { describe, expect, it } from 'vitest';
import { MemorySink, RedactionPolicy, Warden } from '../../src/index.js';
import { CATALOGUE } from '../../src/redaction/catalogue.js';
import { benignCorpus } from '../fixtures/benignCorpus.js';
import { place, POSITIONS, secretSamples, type Position } from '../fixtures/secretCorpus.js';

const samples = secretSamples();

/** Runs one call with `sample` at `position` through a real Warden and returns everything its audit trail received. */
async function audited(sample: string, position: Position): Promise<string> {
	const sink = new MemorySink();
	const warden = new Warden({ audit: sink });
	const { args, result, error } = place(sample, position);
	await warden
		.run('tool', args, () => {
			if (error !== undefined) throw error;
			return result ?? 'ok';
		})
		.catch(() => undefined);
	return JSON.stringify(sink.events);
}

/** The secret, and pieces of it: a value is redacted whole or not at all, so no 12-character piece may remain. */
function leaks(secret: string, audit: string): string | undefined {
	const forms = [secret, JSON.stringify(secret).slice(1, -1)];
	for (const form of forms) {
		if (audit.includes(form)) return form;
		for (let i = 0; form.length >= 24 && i + 12 <= form.length; i += 6) {
			const piece = form.slice(i, i + 12);
			if (audit.includes(piece)) return piece;
		}
	}
	return undefined;
}

describe('redaction recall over a generated corpus of every catalogued format and key context', () => {
	it(`covers every catalogue rule with at least one example (${CATALOGUE.length} rules, ${samples.length} samples)`, () => {
		for (const rule of CATALOGUE) expect(rule.examples.length, rule.id).toBeGreaterThan(0);
		expect(new Set(samples.map((s) => s.family)).size).toBeGreaterThanOrEqual(80);
	});

	it.each(samples.map((s) => [s.family, s.sample.slice(0, 40), s] as const))(
		'%s (%s): redacted in all 7 positions',
		async (_family, _start, sample) => {
			const leaked: string[] = [];
			for (const position of POSITIONS) {
				const piece = leaks(sample.secret, await audited(sample.sample, position));
				if (piece !== undefined) leaked.push(`${position}: "${piece}"`);
			}
			expect(leaked, `recall ${POSITIONS.length - leaked.length}/${POSITIONS.length}`).toEqual([]);
		},
	);

	it('does not redact what is not secret around a secret', async () => {
		const audit = await audited(samples[0]?.sample ?? '', 'shell command');
		expect(audit).toContain('cd /srv/app &&');
		expect(audit).toContain('| tee /tmp/out.log');
	});
});

describe('redaction precision over a benign corpus', () => {
	const policy = new RedactionPolicy();
	const corpus = benignCorpus();

	it(`alters at most 1 % of ${corpus.length} benign strings`, () => {
		const altered = corpus.filter((text) => policy.redactText(text) !== text);
		expect(corpus.length).toBeGreaterThanOrEqual(300);
		expect(altered.length / corpus.length, `altered: ${altered.join(' || ')}`).toBeLessThanOrEqual(0.01);
	});

	it('leaves every placeholder under a secret name alone, in text and in objects', () => {
		for (const value of [
			'${API_KEY}',
			'{{ token }}',
			'$(gh auth token)',
			'$DEPLOY_TOKEN',
			'<your-api-key>',
			'xxxxxxxx',
			'https://registry.npmjs.org/',
		]) {
			expect(policy.redactText(`API_KEY="${value}"`)).toBe(`API_KEY="${value}"`);
			expect(policy.redact({ apiKey: value })).toEqual({ apiKey: value });
		}
	});
});
