/** The marker that replaces a redacted value. */
export const REDACTED = '[REDACTED]';
