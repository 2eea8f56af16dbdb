import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/cli/report/Timeline.js';
import { TopReasons } from '../../src/cli/report/TopReasons.js';
import { parseWindow } from '../../src/cli/report/timeWindow.js';

const START = Date.parse('2026-03-01T10:00:00Z');

describe('Timeline', () => {
	it('loses no count while it widens its buckets, and shows at most 48 of a width people read', () => {
		const timeline = new Timeline();
		for (let i = 0; i < 10_000; i++) timeline.add(START + i * 7 * 60_000, i % 3 === 0 ? 'wouldDeny' : 'allowed');
		const { bucketMs, buckets } = timeline.buckets();
		expect(buckets.reduce((sum, b) => sum + b.calls, 0)).toBe(10_000);
		expect(buckets.reduce((sum, b) => sum + b.wouldDeny, 0)).toBe(3334);
		expect(buckets.length).toBeLessThanOrEqual(48);
		expect(bucketMs).toBe(2 * 86_400_000);
	});

	it('two events a day apart: hourly buckets from the hour, the empty ones included', () => {
		const timeline = new Timeline();
		timeline.add(START + 5 * 60_000, 'allowed');
		timeline.add(START + 86_400_000, 'denied');
		const { bucketMs, buckets } = timeline.buckets();
		expect(bucketMs).toBe(3_600_000);
		expect(buckets).toHaveLength(25);
		expect(buckets[0]).toEqual({ start: '2026-03-01T10:00:00.000Z', calls: 1, denied: 0, wouldDeny: 0, replayed: 0 });
		expect(buckets[24]).toEqual({ start: '2026-03-02T10:00:00.000Z', calls: 1, denied: 1, wouldDeny: 0, replayed: 0 });
	});
});

describe('TopReasons', () => {
	it('is exact below its capacity; past it, the frequent reasons survive and the list says it is approximate', () => {
		const reasons = new TopReasons();
		for (let i = 0; i < 50; i++) reasons.add('Reading .env files is not allowed.', 'noDotEnv');
		for (let i = 0; i < 30; i++) reasons.add('Write budget used up.', 'fewWrites');
		expect(reasons.top(2)).toEqual([
			{ reason: 'Reading .env files is not allowed.', count: 50, rule: 'noDotEnv' },
			{ reason: 'Write budget used up.', count: 30, rule: 'fewWrites' },
		]);
		expect(reasons.approximate).toBe(false);
		for (let i = 0; i < 25_000; i++) reasons.add(`Path /tmp/${i} is outside the workspace.`, 'workspaceOnly');
		expect(reasons.approximate).toBe(true);
		expect(reasons.top(2).map((r) => r.count)).toEqual([50, 30]);
	});
});

describe('--since / --until', () => {
	it('reads dates as whole UTC days and zone-less times as UTC', () => {
		expect(parseWindow('2026-03-01', '2026-03-01')).toEqual({
			since: START - 10 * 3_600_000,
			until: START + 14 * 3_600_000,
		});
		expect(parseWindow('2026-03-01T10:00', undefined)).toEqual({ since: START });
		expect(parseWindow(undefined, '2026-03-01T11:00:00+01:00')).toEqual({ until: START });
		expect(() => parseWindow('2026-03-02', '2026-03-01')).toThrow(
			'--since 2026-03-02 is not before --until 2026-03-01.',
		);
		expect(() => parseWindow('2026-02-30T10:00Z', undefined)).not.toThrow();
		expect(() => parseWindow('2026-13-01', undefined)).toThrow('not a valid date');
	});
});
