import { isThenable } from './isThenable.js';

/** A value, or a promise of it: in-process storage answers synchronously, a shared store asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Applies `fn` to a value that may or may not be a promise, without allocating a promise when it is not: in-process
 * storage answers synchronously, and a governed call should not pay a microtask per guard for a shared store it does
 * not use. (Not named `then`: a module exporting `then` makes its namespace a thenable, which `await import()` calls.)
 */
export function andThen<T, R>(value: Awaitable<T>, fn: (value: T) => Awaitable<R>): Awaitable<R> {
	return isThenable(value) ? value.then(fn) : fn(value);
}

/**
 * {@link andThen} with one argument passed through: `fn` can then be made once (not a closure per call), which
 * matters on paths every governed call takes (a guard's decision after its read).
 */
export function andThenWith<T, A, R>(
	value: Awaitable<T>,
	arg: A,
	fn: (value: T, arg: A) => Awaitable<R>,
): Awaitable<R> {
	return isThenable(value) ? value.then((settled) => fn(settled, arg)) : fn(value, arg);
}
