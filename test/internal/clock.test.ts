import { describe, expect, it } from 'vitest';
import { isoAt } from '../../src/_internal/clock.js';

describe('isoAt', () => {
	it('formats any sequence of times exactly, whatever the two cached ones are', () => {
		const times = [0, 1, 0, 5, 1, 5, 5.9, 1e12, 1e12 + 0.5, 1e12 + 1, 0, 1e12];
		for (const ms of times) expect(isoAt(ms)).toBe(new Date(Math.floor(ms)).toISOString());
	});
});
