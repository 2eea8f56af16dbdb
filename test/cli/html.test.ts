import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, writeLogs } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);
let page: string;
let html: string;
let work: string;

beforeAll(async () => {
	const logs = await writeLogs();
	work = await mkdtemp(join(tmpdir(), 'tw-html-'));
	page = join(work, 'report.html');
	const result = await cli(['report', dirname(logs.observe), logs.enforce, '--html', page]);
	expect(result).toMatchObject({ code: 0, stderr: `toolwarden report: wrote ${page}\n` });
	html = await readFile(page, 'utf8');
});

/** Headless Chromium with no network, no first-run work and a throwaway profile. */
async function chromium(...args: string[]): Promise<string> {
	const profile = await mkdtemp(join(tmpdir(), 'tw-chromium-'));
	try {
		const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
		const quiet = ['--disable-background-networking', '--disable-component-update', '--disable-sync'];
		const { stdout } = await run(
			CHROMIUM,
			[...flags, ...quiet, `--user-data-dir=${profile}`, ...args, pathToFileURL(page).href],
			{
				timeout: 90_000,
				maxBuffer: 16 * 1024 * 1024,
			},
		);
		return stdout;
	} finally {
		await rm(profile, { recursive: true, force: true });
	}
}

describe('report --html: one self-contained page', () => {
	it('has no script and loads nothing: no src, href, url() or @import; the only URL is the SVG namespace', () => {
		expect(html).not.toMatch(/<script|\ssrc=|\shref=|url\(|@import|<link/i);
		expect(html.match(/https?:\/\/[^"'\s]+/g)?.every((url) => url === 'http://www.w3.org/2000/svg')).toBe(true);
		expect(html).toMatch(/^<!doctype html>/);
	});

	it('states the numbers in plain tables and charts: rules, tools, reasons, sessions', () => {
		for (const rule of ['noDotEnv', 'noSecretsDir', 'fewWrites', 'noEnvFiles', 'maxCallsPerTool']) {
			expect(html).toContain(`<td>${rule}</td>`);
			expect(html).toContain(`class="label">${rule}</text>`);
		}
		expect(html).toContain('<tr><td>noSecretsDir</td><td class="n">3</td><td class="n">3</td></tr>');
		expect(html).toContain('<td>Reading .env files is not allowed.</td><td class="n">3</td>');
		expect(html).toContain('<b>7</b><span>would have been denied (29%)</span>');
		expect(html).toContain('<td>s-alpha</td>');
	});
});

describe.skipIf(!existsSync(CHROMIUM))(
	`report --html in headless Chromium (skipped: ${CHROMIUM} is not installed)`,
	() => {
		it('renders: the DOM Chromium built holds the rule names in the charts and tables', async () => {
			const dom = await chromium('--dump-dom');
			expect(dom).toContain('<h1>toolwarden report</h1>');
			const labels = [...dom.matchAll(/class="label">([^<]+)<\/text>/g)].map((m) => m[1]);
			expect(labels).toEqual(
				expect.arrayContaining([
					'noSecretsDir',
					'noDotEnv',
					'noEnvFiles',
					'fewWrites',
					'maxCallsPerTool',
					'write_file',
					'read_file',
					'search',
				]),
			);
			expect(dom).toContain('<td>maxCallsPerTool</td>');
		}, 120_000);

		it('takes a screenshot of the whole report', async () => {
			const shot = join(work, 'report.png');
			await chromium(`--screenshot=${shot}`, '--window-size=1100,2400', '--hide-scrollbars');
			const png = await readFile(shot);
			expect(png.subarray(1, 4).toString()).toBe('PNG');
			// IHDR: width and height as big-endian integers at bytes 16 and 20.
			expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1100, 2400]);
			// A blank page compresses to a few KB; text, tables and charts do not.
			expect(png.length).toBeGreaterThan(60_000);
			if (process.env['TOOLWARDEN_KEEP_SCREENSHOT'] !== undefined)
				await run('cp', [shot, process.env['TOOLWARDEN_KEEP_SCREENSHOT']]);
		}, 120_000);
	},
);
