import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/index.js';
import { ToolCounts } from '../../src/storage/ToolCounts.js';
import { CountersView } from '../../src/contracts/SessionView.js';

describe('ToolCounts (per-tool executions in MemoryStorage)', () => {
	it('a version never changes: later writes, and tools first run later, do not show in it', () => {
		const v1 = new ToolCounts().with('a', 1);
		const v2 = v1.with('b', 1);
		const v3 = v2.with('a', 2);
		expect([v1.get('a'), v1.get('b')]).toEqual([1, 0]);
		expect([v2.get('a'), v2.get('b')]).toEqual([1, 1]);
		expect([v3.get('a'), v3.get('b'), v3.get('c')]).toEqual([2, 1, 0]);
		expect(v1.record).toEqual({ a: 1 });
		expect(v3.record).toEqual({ a: 2, b: 1 });
		expect(Object.isFrozen(v3.record)).toBe(true);
	});

	it('any tool name is an own key of the record, even __proto__ and constructor', () => {
		const counts = new ToolCounts().with('__proto__', 2).with('constructor', 1);
		expect(Object.getPrototypeOf(counts.record)).toBe(Object.prototype);
		expect(Object.entries(counts.record)).toEqual([
			['__proto__', 2],
			['constructor', 1],
		]);
		expect(new ToolCounts().get('constructor')).toBe(0);
	});

	it('a session using many tools: each snapshot keeps its own counts, session contracts read them', () => {
		const storage = new MemoryStorage();
		const limits = { maxToolCalls: Infinity, maxForTool: Infinity };
		const snapshots = [];
		for (let i = 0; i < 200; i++) {
			snapshots.push(storage.beginAttempt('s'));
			storage.reserveExecution('s', `tool_${i % 50}`, limits, false);
		}
		// Snapshot i was taken before call i reserved: tool_k ran floor((i - k - 1) / 50) + 1 times by then, if at all.
		for (const [i, snapshot] of snapshots.entries()) {
			for (const k of [0, 7, 49]) {
				const expected = i > k ? Math.floor((i - k - 1) / 50) + 1 : 0;
				expect(snapshot.toolExecutions[`tool_${k}`] ?? 0).toBe(expected);
				// What a session contract reads (without making the record).
				expect(new CountersView('s', snapshot).toolExecutions(`tool_${k}`)).toBe(expected);
			}
		}
		expect(Object.keys(storage.totals('s').toolExecutions)).toHaveLength(50);
		expect(storage.totals('s').toolExecutions['tool_49']).toBe(4);
	});
});
