import { describe, expect, it } from 'vitest';
import { SessionStateLostError, type StorageBackend } from '../../src/index.js';

/** Backend-specific ways to make a store lose a session's state while it is in use. */
export interface ConformanceOptions {
	skip?: boolean;
	/** Makes `store` lose all of `sessionId`'s state the way this backend can (eviction, a flush). */
	loseSession: (store: StorageBackend, sessionId: string) => Promise<void>;
}

/**
 * The contract every StorageBackend keeps, run against MemoryStorage and RedisStorage alike.
 * `make` returns a fresh store (and unique namespaces keep tests apart).
 */
export function storageConformance(name: string, make: () => StorageBackend, options: ConformanceOptions): void {
	describe.skipIf(options.skip === true)(`StorageBackend conformance: ${name}`, () => {
		let n = 0;
		const sid = () => `conf-${Date.now()}-${++n}-${Math.random().toString(36).slice(2)}`;
		const limits = (maxToolCalls: number, maxForTool = Infinity) => ({ maxToolCalls, maxForTool });

		it('counts attempts and snapshots counters', async () => {
			const store = make();
			const s = sid();
			expect(await store.beginAttempt(s)).toMatchObject({
				attempts: 1,
				executions: 0,
				consecutiveFailures: 0,
				consecutiveDenials: 0,
				halted: null,
			});
			await store.reserveExecution(s, 'read', limits(10), false);
			const second = await store.beginAttempt(s);
			expect(second).toMatchObject({ attempts: 2, executions: 1 });
			expect(second.toolExecutions).toEqual({ read: 1 });
		});

		it('reserves within maxToolCalls and maxCallsPerTool, and counts anyway when forced', async () => {
			const store = make();
			const s = sid();
			expect(await store.reserveExecution(s, 'a', limits(2, 1), false)).toEqual({ ok: true, executions: 1 });
			expect(await store.reserveExecution(s, 'a', limits(2, 1), false)).toEqual({
				ok: false,
				limit: 'maxCallsPerTool',
				executions: 1,
			});
			expect(await store.reserveExecution(s, 'b', limits(2), false)).toEqual({ ok: true, executions: 2 });
			expect(await store.reserveExecution(s, 'c', limits(2), false)).toEqual({
				ok: false,
				limit: 'maxToolCalls',
				executions: 2,
			});
			expect(await store.reserveExecution(s, 'c', limits(2), true)).toEqual({
				ok: false,
				limit: 'maxToolCalls',
				executions: 3,
			});
			expect(await store.reserveExecution(s, 'd', limits(Infinity, Infinity), false)).toEqual({
				ok: true,
				executions: 4,
			});
		});

		it('reserves atomically: 200 concurrent reservations against a limit of 50 grant exactly 50', async () => {
			const store = make();
			const s = sid();
			const answers = await Promise.all(
				Array.from({ length: 200 }, async () => store.reserveExecution(s, 't', limits(50), false)),
			);
			expect(answers.filter((a) => a.ok)).toHaveLength(50);
			expect((await store.totals(s)).executions).toBe(50);
		});

		it('tracks streaks and totals', async () => {
			const store = make();
			const s = sid();
			expect(await store.recordOutcome(s, 'failed', { sideEffect: true })).toBe(1);
			expect(await store.recordOutcome(s, 'failed')).toBe(2);
			expect(await store.recordOutcome(s, 'succeeded', { sideEffect: true })).toBe(0);
			expect(await store.recordOutcome(s, 'denied', { rule: 'r1' })).toBe(1);
			expect(await store.recordOutcome(s, 'denied', { rule: 'r1' })).toBe(2);
			expect(await store.recordOutcome(s, 'replayed', { rule: 'ledger' })).toBe(0);
			await store.reserveExecution(s, 't', limits(10), false);
			const totals = await store.totals(s);
			expect(totals).toMatchObject({
				failed: 2,
				denied: 2,
				replayed: 1,
				sideEffectsExecuted: 2,
				consecutiveFailures: 0,
				consecutiveDenials: 0,
			});
			expect(totals.interventions).toEqual({ r1: 2, ledger: 1 });
		});

		it('counts tools and rules by name, whatever the name (even __proto__ and constructor)', async () => {
			const store = make();
			const s = sid();
			await store.beginAttempt(s);
			for (const tool of ['__proto__', 'constructor', '__proto__', 'a'])
				await store.reserveExecution(s, tool, limits(10), false);
			await store.recordOutcome(s, 'denied', { rule: '__proto__' });
			const totals = await store.totals(s);
			expect(Object.entries(totals.toolExecutions).sort()).toEqual([
				['__proto__', 2],
				['a', 1],
				['constructor', 1],
			]);
			expect(Object.entries(totals.interventions)).toEqual([['__proto__', 1]]);
			const counters = await store.beginAttempt(s);
			expect(Object.hasOwn(counters.toolExecutions, '__proto__')).toBe(true);
		});

		it('halts and resets a session, values included', async () => {
			const store = make();
			const s = sid();
			await store.beginAttempt(s);
			await store.update<number, void>(s, 'k', () => ({ value: 7, result: undefined }));
			await store.haltSession(s, 'stop now', 'myGuard');
			expect(await store.beginAttempt(s)).toMatchObject({ halted: 'stop now', haltedBy: 'myGuard' });
			expect(await store.totals(s)).toMatchObject({ halted: 'stop now', haltedBy: 'myGuard' });
			// Halted again without a rule: the earlier rule is not kept.
			await store.haltSession(s, 'stop again');
			expect(await store.beginAttempt(s)).toMatchObject({ halted: 'stop again', haltedBy: null });
			await store.resetSession(s);
			expect(await store.beginAttempt(s)).toMatchObject({ attempts: 1, halted: null, haltedBy: null });
			expect(await store.read(s, 'k')).toBeUndefined();
		});

		it('update is atomic: 100 concurrent increments all count', async () => {
			const store = make();
			const s = sid();
			await Promise.all(
				Array.from({ length: 100 }, async () =>
					store.update<{ n: number }, void>(s, 'counter', (current) => ({
						value: { n: (current?.n ?? 0) + 1 },
						result: undefined,
					})),
				),
			);
			expect(await store.read(s, 'counter')).toEqual({ n: 100 });
		});

		it('update returns the result, deletes with undefined, and reads JSON values', async () => {
			const store = make();
			const s = sid();
			expect(
				await store.update<{ a: number[] }, string>(s, 'k', (c) => ({
					value: { a: [1, 2] },
					result: c === undefined ? 'created' : 'existed',
				})),
			).toBe('created');
			expect(await store.read(s, 'k')).toEqual({ a: [1, 2] });
			expect(await store.update<{ a: number[] }, string>(s, 'k', (c) => ({ value: c, result: 'read only' }))).toBe(
				'read only',
			);
			await store.update(s, 'k', () => ({ value: undefined, result: undefined }));
			expect(await store.read(s, 'k')).toBeUndefined();
		});

		it('a bounded key group keeps at most max keys, evicting the oldest', async () => {
			const store = make();
			const s = sid();
			const bound = { group: 'g', max: 3 };
			for (const key of ['g:1', 'g:2', 'g:3', 'g:4', 'g:5'])
				await store.update(s, key, () => ({ value: key, result: undefined }), bound);
			const present = await Promise.all(['g:1', 'g:2', 'g:3', 'g:4', 'g:5'].map((key) => store.read(s, key)));
			expect(present).toEqual([undefined, undefined, 'g:3', 'g:4', 'g:5']);
			// Rewriting an existing key does not evict anything.
			await store.update(s, 'g:3', () => ({ value: 'again', result: undefined }), bound);
			expect(await store.read(s, 'g:5')).toBe('g:5');
		});

		it('a bounded key is read with or without its bound; a deleted one frees its place and evicts nothing', async () => {
			const store = make();
			const s = sid();
			const bound = { group: 'g', max: 2 };
			const set = (key: string, value: string | undefined) =>
				store.update(s, key, () => ({ value, result: undefined }), bound);
			await set('k1', 'v1');
			await set('k2', 'v2');
			expect(await store.read(s, 'k1')).toBe('v1');
			expect(await store.read(s, 'k1', bound)).toBe('v1');
			await set('k1', undefined);
			expect(await store.read(s, 'k1', bound)).toBeUndefined();
			await set('k3', 'v3');
			expect([await store.read(s, 'k2', bound), await store.read(s, 'k3', bound)]).toEqual(['v2', 'v3']);
			// Rewritten without its bound, the key is still the group's and found with it.
			await store.update<string, void>(s, 'k3', (v) => ({ value: `${v ?? ''}!`, result: undefined }));
			expect(await store.read(s, 'k3', bound)).toBe('v3!');
			await set('k4', 'v4');
			expect(await store.read(s, 'k2')).toBeUndefined();
			expect([await store.read(s, 'k3'), await store.read(s, 'k4', bound)]).toEqual(['v3!', 'v4']);
		});

		it('keeps namespaces apart', async () => {
			const store = make();
			const [a, b] = [sid(), sid()];
			await store.beginAttempt(a);
			await store.update(a, 'k', () => ({ value: 1, result: undefined }));
			expect((await store.beginAttempt(b)).attempts).toBe(1);
			expect(await store.read(b, 'k')).toBeUndefined();
		});

		it('lost state is never silent: every operation on the session throws until it is reset, then it starts over', async () => {
			const store = make();
			const [s, other] = [sid(), sid()];
			await store.beginAttempt(s);
			await store.reserveExecution(s, 't', limits(2), false);
			await store.update(s, 'k', () => ({ value: 1, result: undefined }));
			await store.beginAttempt(other);
			await options.loseSession(store, s);
			const operations: Array<() => unknown> = [
				() => store.beginAttempt(s),
				() => store.reserveExecution(s, 't', limits(2), false),
				() => store.recordOutcome(s, 'denied'),
				() => store.update(s, 'k', () => ({ value: 2, result: undefined })),
				() => store.read(s, 'k'),
				() => store.totals(s),
				() => store.haltSession(s, 'x'),
			];
			for (const operation of operations) {
				const error = await (async () => operation())().catch((e: unknown) => e);
				expect(error).toBeInstanceOf(SessionStateLostError);
				expect((error as SessionStateLostError).sessionId).toBe(s);
			}
			await store.resetSession(s);
			expect(await store.beginAttempt(s)).toMatchObject({ attempts: 1, executions: 0 });
			expect(await store.read(s, 'k')).toBeUndefined();
		});

		it('fingerprints are keyed: stable, and never the text', () => {
			const store = make();
			const fingerprint = store.fingerprint?.bind(store);
			expect(fingerprint).toBeDefined();
			const text = 'refund\u0000{"password":"hunter2"}';
			expect(fingerprint?.(text)).toBe(fingerprint?.(text));
			expect(fingerprint?.(text)).not.toContain('hunter2');
			expect(fingerprint?.(text)).not.toBe(fingerprint?.('refund\u0000{"password":"hunter3"}'));
		});
	});
}
