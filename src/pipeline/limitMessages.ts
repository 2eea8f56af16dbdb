/** Denial messages of the limits, written so the agent knows what to do next. */
export const limitMessages = {
	attempts: (max: number): string =>
		`Attempt limit reached: this session may attempt at most ${max} tool calls, denied ones included. Stop calling tools and report your progress to the user.`,
	total: (max: number): string =>
		`Tool call limit reached: this session may execute at most ${max} tool calls. Summarise what you have done and what remains, and stop.`,
	perTool: (tool: string, max: number): string =>
		`"${tool}" may run at most ${max} time${max === 1 ? '' : 's'} per session and has reached that limit. Do not call it again; continue with other tools or tell the user what remains.`,
};
