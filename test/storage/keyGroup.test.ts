import { describe, expect, it } from 'vitest';
import { KeyGroup } from '../../src/storage/KeyGroup.js';

const valueOf = (group: KeyGroup, key: string) => {
	const slot = group.slotOf(key);
	return slot === undefined ? undefined : group.valueAt(slot);
};

describe('KeyGroup', () => {
	it('keeps at most max keys, evicting the oldest by first write; a rewrite keeps its slot', () => {
		const group = new KeyGroup(2);
		group.insert('a', 1);
		group.insert('b', 2);
		group.setAt(group.slotOf('a') as number, 10);
		group.insert('c', 3);
		expect(['a', 'b', 'c'].map((key) => valueOf(group, key))).toEqual([undefined, 2, 3]);
	});

	it('a key is found, or not, as the group holds it now: after an insert, an eviction, a removal', () => {
		const group = new KeyGroup(2);
		expect(group.slotOf('a')).toBeUndefined();
		group.insert('a', 1);
		// The lookup just before said absent; now it is present.
		expect(valueOf(group, 'a')).toBe(1);
		group.insert('b', 2);
		expect(valueOf(group, 'a')).toBe(1);
		// Evicted after it was looked up: absent, although its slot was the answer a moment ago.
		group.insert('c', 3);
		expect(group.slotOf('a')).toBeUndefined();
		expect(valueOf(group, 'c')).toBe(3);
		group.removeAt(group.slotOf('c') as number);
		expect(group.slotOf('c')).toBeUndefined();
		// The next slot is b's (the oldest); c's freed slot evicts nothing when the ring comes round to it.
		group.insert('d', 4);
		group.insert('e', 5);
		expect(['b', 'c', 'd', 'e'].map((key) => valueOf(group, key))).toEqual([undefined, undefined, 4, 5]);
		// A key equal to the last one but built anew is the same key.
		expect(valueOf(group, ['d'].join(''))).toBe(4);
	});
});
