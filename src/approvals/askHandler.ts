import { describeValue, errorMessage, errorName } from '../_internal/text.js';
import type { ApprovalAnswer, ApprovalHandler, ApprovalRequest } from '../decisions/ApprovalRequest.js';

/** The handler's answer, or why there is none (the call is then denied: the handler fails closed). */
export type HandlerOutcome =
	{ readonly ok: true; readonly answer: ApprovalAnswer } | { readonly ok: false; readonly problem: string };

/** Calls the approval handler with a time limit; never throws. */
export async function askHandler(
	handler: ApprovalHandler,
	request: ApprovalRequest,
	timeoutMs: number,
): Promise<HandlerOutcome> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<HandlerOutcome>((resolve) => {
		timer = setTimeout(() => resolve({ ok: false, problem: `No approval answer within ${timeoutMs} ms.` }), timeoutMs);
	});
	const asked = (async (): Promise<HandlerOutcome> => {
		try {
			return check(await handler(request));
		} catch (error) {
			return { ok: false, problem: `The approval handler threw ${errorName(error)}: ${errorMessage(error)}` };
		}
	})();
	try {
		return await Promise.race([asked, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

const ANSWER_SHAPE = '{ approved: boolean, approver: string, reason? }';

function check(answer: unknown): HandlerOutcome {
	const a = answer as Partial<ApprovalAnswer> | null;
	const valid =
		typeof a === 'object' &&
		a !== null &&
		typeof a.approved === 'boolean' &&
		typeof a.approver === 'string' &&
		a.approver !== '' &&
		(a.reason === undefined || typeof a.reason === 'string');
	if (!valid)
		return {
			ok: false,
			problem: `The approval handler answered ${describeValue(answer)} instead of ${ANSWER_SHAPE}.`,
		};
	return {
		ok: true,
		answer: {
			approved: a.approved,
			approver: a.approver,
			...(a.reason === undefined || a.reason === '' ? {} : { reason: a.reason }),
		},
	};
}
