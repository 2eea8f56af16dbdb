/**
 * The class of a tool failure, as the circuit breaker counts it. `timeout`, `connection`, `429` and `5xx` are
 * retryable (they may pass on their own); the others need the agent to change something.
 */
export type ErrorClass = 'timeout' | 'connection' | '401' | '403' | '429' | '5xx' | 'validation' | 'other';

export const RETRYABLE: ReadonlySet<ErrorClass> = new Set(['timeout', 'connection', '429', '5xx']);

const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'ENETUNREACH',
	'EHOSTUNREACH',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/**
 * Normalises an error into an {@link ErrorClass}: from its `status`/`statusCode` (or `response.status`), its `code`,
 * then its `name` (`TimeoutError`, `AbortError`: timeout; `ValidationError`, `ZodError`: validation).
 */
export function classifyError(error: unknown): ErrorClass {
	if (typeof error !== 'object' || error === null) return 'other';
	const e = error as {
		status?: unknown;
		statusCode?: unknown;
		code?: unknown;
		name?: unknown;
		response?: { status?: unknown };
		cause?: unknown;
	};
	const status = Number(e.status ?? e.statusCode ?? e.response?.status);
	if (status === 401) return '401';
	if (status === 403) return '403';
	if (status === 429) return '429';
	if (status >= 500 && status <= 599) return '5xx';
	if (status === 400 || status === 422) return 'validation';
	const code = typeof e.code === 'string' ? e.code : undefined;
	if (code !== undefined && CONNECTION_CODES.has(code)) return 'connection';
	if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
	if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
	if (e.name === 'ValidationError' || e.name === 'ZodError') return 'validation';
	// fetch wraps network failures: TypeError('fetch failed') with the system error as its cause.
	if (e.cause !== undefined && e.cause !== error) {
		const inner = classifyError(e.cause);
		if (inner !== 'other') return inner;
	}
	return 'other';
}
