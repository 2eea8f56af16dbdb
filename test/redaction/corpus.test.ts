import { describe, expect, it } from 'vitest';
import { MemorySink, RedactionPolicy, Warden } from '../../src/index.js';
import { benignCorpus, place, POSITIONS, secretFormats, type Position } from '../fixtures/secretCorpus.js';

const formats = secretFormats();

/** Runs one call with the secret at `position` and returns everything the audit trail received, serialised. */
async function audited(sample: string, position: Position, format: ReturnType<typeof secretFormats>[number]): Promise<string> {
	const sink = new MemorySink();
	const warden = new Warden({ audit: sink });
	if (position === 'error') {
		await warden.run('http', { url: 'https://api.example.com' }, () => {
			throw new Error(`request failed: ${sample}`);
		}).catch(() => undefined);
	} else if (position === 'result') {
		await warden.run('http', { url: 'https://api.example.com' }, () => ({ status: 200, body: `debug dump: ${sample} end` }));
	} else {
		await warden.run('tool', place(format, position) as object, () => 'ok');
	}
	return JSON.stringify(sink.events);
}

describe('redaction recall over a corpus of synthetic secrets', () => {
	it(`covers at least 20 formats (${formats.length})`, () => {
		expect(formats.length).toBeGreaterThanOrEqual(20);
	});

	it.each(formats.map((f) => [f.name, f] as const))('%s: redacted in every position', async (_name, format) => {
		const leaked: Position[] = [];
		for (const position of POSITIONS) {
			if ((await audited(format.sample, position, format)).includes(format.secret)) leaked.push(position);
		}
		// Recall for this format is (positions - leaked) / positions; 100% is required.
		expect(leaked, `recall ${POSITIONS.length - leaked.length}/${POSITIONS.length}`).toEqual([]);
	});

	it('alters at most 1% of a benign corpus', () => {
		const policy = new RedactionPolicy();
		const corpus = benignCorpus();
		const altered = corpus.filter((text) => policy.redactText(text) !== text);
		expect(corpus.length).toBeGreaterThanOrEqual(100);
		expect(altered.length / corpus.length, `altered: ${altered.join(' || ')}`).toBeLessThanOrEqual(0.01);
	});
});
