/**
 * Sets an own property whatever its name: tool and rule names come from the model and the policy, and assigning
 * `__proto__` would set the prototype instead (the count would vanish).
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
	if (key === '__proto__')
		Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
	else record[key] = value;
}
