import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOwnCallId, newCallId } from '../../src/_internal/ids.js';

describe('call ids', () => {
	it('are UUID v4 in form, unique, and in order across the cached blocks of 256', () => {
		const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
		const ids = Array.from({ length: 70_000 }, () => newCallId());
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of [ids[0], ids[255], ids[256], ids[69_999]]) expect(id).toMatch(v4);
		// The counter is the last 12 hex digits: consecutive ids differ by one, also where a block of 256 ends.
		const tail = (id: string | undefined) => Number.parseInt((id as string).slice(-12), 16);
		for (let i = 1; i < ids.length; i++) expect(tail(ids[i]) - tail(ids[i - 1])).toBe(1);
	});

	it('are recognised as this process\u2019s own, and nothing else is', () => {
		const mine = [newCallId(), newCallId()];
		expect(mine.every((id) => isOwnCallId(id))).toBe(true);
		expect(isOwnCallId(`${mine[0]}`.split('').join(''))).toBe(true);
		expect(isOwnCallId(randomUUID())).toBe(false);
		expect(isOwnCallId('sk-ant-api03-notanid')).toBe(false);
	});
});
