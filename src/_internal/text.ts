/** Messages from contracts and hooks reach the agent; they are capped so one rule cannot flood its context. */
export const MAX_MESSAGE_LENGTH = 500;

export function capMessage(message: string): string {
	return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : message;
}

/** A short description of a value for error messages (never its content, which may be secret). */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	const type = typeof value;
	if (type !== 'object') return type === 'undefined' ? 'undefined' : `a ${type}`;
	const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof name === 'string' && name !== 'Object' && name !== '' ? `an instance of ${name}` : 'a plain object';
}

export function errorName(error: unknown): string {
	if (error instanceof Error) return error.name;
	if (typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string')
		return (error as { name: string }).name;
	return typeof error;
}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
		return (error as { message: string }).message;
	if (typeof error === 'string') return error;
	return String(describeValue(error));
}
