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
