// Rules shared by the gateway policies in this folder: each policy (one per upstream server) adds its own audit file.
import { denySensitiveReads, repeatGuard } from 'toolwarden';

export const rules = {
	contracts: [denySensitiveReads(), repeatGuard()],
	// A desktop session can be long: the default of 200 tool calls per session would stop the assistant mid-day.
	limits: { maxToolCalls: 5_000, maxAttempts: 10_000 },
};
