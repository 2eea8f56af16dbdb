import { describe, expect, it } from 'vitest';
import { MemoryStorage, SessionStateLostError, ToolCallDenied, Warden, type StorageBackend } from '../../src/index.js';
import { storageConformance } from './conformance.js';

/** Evicts a session the way MemoryStorage does: more sessions than it keeps. */
async function evict(store: StorageBackend, _sessionId: string): Promise<void> {
	for (let i = 0; i < 4; i++) await store.beginAttempt(`filler-${i}-${Math.random()}`);
}

storageConformance('MemoryStorage', () => new MemoryStorage({ maxSessions: 3 }), { loseSession: evict });

describe('MemoryStorage({ maxSessions })', () => {
	it('keeps the most recently used sessions, and an evicted session that returns is lost state, not fresh limits', async () => {
		const storage = new MemoryStorage({ maxSessions: 2 });
		const warden = new Warden({ storage, limits: { maxToolCalls: 2 } });
		await warden.run('t', {}, () => 1, { sessionId: 'a' });
		await warden.run('t', {}, () => 1, { sessionId: 'a' });
		await expect(warden.run('t', {}, () => 1, { sessionId: 'a' })).rejects.toMatchObject({ source: 'execution_limit' });
		await warden.run('t', {}, () => 1, { sessionId: 'b' });
		await warden.run('t', {}, () => 1, { sessionId: 'c' }); // evicts a, the least recently used
		expect(storage.size).toBe(2);
		const error = await warden.run('t', {}, () => 1, { sessionId: 'a' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ToolCallDenied);
		expect(error).toMatchObject({ source: 'storage_unavailable', rule: 'storage' });
		expect((error as ToolCallDenied).reason).toMatch(/session "a" was lost: it was evicted from memory.*resetSession/);
		// Still lost on the next call: the session does not quietly start over.
		await expect(warden.run('t', {}, () => 1, { sessionId: 'a' })).rejects.toMatchObject({
			source: 'storage_unavailable',
		});
		await warden.resetSession('a');
		await expect(warden.run('t', {}, () => 'fresh', { sessionId: 'a' })).resolves.toBe('fresh');
	});

	it('operations find the session they name, after a switch, a reset or an eviction', () => {
		const storage = new MemoryStorage({ maxSessions: 1 });
		const set = (id: string, value: number) =>
			storage.update<number, void>(id, 'k', () => ({ value, result: undefined }));
		storage.beginAttempt('a');
		set('a', 1);
		storage.beginAttempt('b');
		expect(storage.read('b', 'k')).toBeUndefined();
		set('b', 2);
		expect(() => storage.read('a', 'k')).toThrow(SessionStateLostError);
		storage.resetSession('b');
		expect(storage.read('b', 'k')).toBeUndefined();
		storage.beginAttempt('b');
		expect(storage.read('b', 'k')).toBeUndefined();
		expect(storage.totals('b').attempts).toBe(1);
	});

	it('counts executions per tool by name, whatever the name (even __proto__)', () => {
		const storage = new MemoryStorage();
		const limits = { maxToolCalls: Infinity, maxForTool: Infinity };
		storage.beginAttempt('s');
		for (const tool of ['a', '__proto__', 'b', 'a', '__proto__', 'constructor'])
			storage.reserveExecution('s', tool, limits, false);
		const snapshot = storage.beginAttempt('s').toolExecutions;
		expect(Object.entries(snapshot).sort()).toEqual([
			['__proto__', 2],
			['a', 2],
			['b', 1],
			['constructor', 1],
		]);
		storage.reserveExecution('s', 'a', limits, false);
		// A snapshot never changes after it was handed out.
		expect(snapshot['a']).toBe(2);
		expect(storage.totals('s').toolExecutions['a']).toBe(3);
	});

	it('a session that was only read is not created, and an unknown session reads as empty', () => {
		const storage = new MemoryStorage({ maxSessions: 1 });
		expect(storage.read('nobody', 'k')).toBeUndefined();
		expect(storage.totals('nobody')).toMatchObject({ attempts: 0 });
		expect(storage.size).toBe(0);
	});

	it('reading an evicted session throws too, without evicting another one', () => {
		const storage = new MemoryStorage({ maxSessions: 1 });
		storage.beginAttempt('a');
		storage.beginAttempt('b');
		expect(() => storage.read('a', 'k')).toThrow(SessionStateLostError);
		expect(() => storage.totals('a')).toThrow(SessionStateLostError);
		expect(storage.beginAttempt('b').attempts).toBe(2);
	});

	it('fingerprints with a random key per store unless one is given', () => {
		expect(new MemoryStorage().fingerprint('x')).not.toBe(new MemoryStorage().fingerprint('x'));
		expect(new MemoryStorage({ fingerprintKey: 'k' }).fingerprint('x')).toBe(
			new MemoryStorage({ fingerprintKey: 'k' }).fingerprint('x'),
		);
		expect(() => new MemoryStorage({ fingerprintKey: '' })).toThrow(/fingerprintKey/);
		expect(() => new MemoryStorage({ maxSessions: 0 })).toThrow(/maxSessions/);
	});
});
