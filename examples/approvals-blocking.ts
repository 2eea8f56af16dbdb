/**
 * Human approval, blocking form: `approvals.handler` asks a person (here a stand-in for a Slack or webhook round trip)
 * and `warden.run` waits for the answer. Run: npx tsx examples/approvals-blocking.ts
 */
import {
	MemorySink,
	requireApproval,
	ToolCallDenied,
	Warden,
	type ApprovalAnswer,
	type ApprovalRequest,
} from 'toolwarden';
import { runIfMain } from './run-main.js';

/** Stands in for posting `request` to a Slack channel (or a webhook) and awaiting the button a person clicks. */
async function askOnSlack(request: ApprovalRequest): Promise<ApprovalAnswer> {
	const amount = Number((request.args as { amountUsd?: unknown }).amountUsd);
	return amount <= 1000
		? { approved: true, approver: 'sam@support.example' }
		: { approved: false, approver: 'sam@support.example', reason: 'Over $1000 goes to finance.' };
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const audit = new MemorySink();
	const warden = new Warden({
		audit,
		contracts: [
			requireApproval('refund', {
				when: (call) => Number(call.args['amountUsd']) > 100,
				message: 'Refunds over $100 need a supervisor.',
			}),
		],
		approvals: { handler: askOnSlack, timeoutMs: 60_000 },
	});
	const refund = (amountUsd: number) =>
		warden.run('refund', { orderId: 'A-1', amountUsd }, (args) => `refunded $${args.amountUsd}`, {
			principal: { userId: 'agent-7' },
		});
	log(await refund(40));
	log(await refund(400));
	try {
		await refund(4000);
	} catch (error) {
		if (!(error instanceof ToolCallDenied)) throw error;
		log(`denied (${error.source}): ${error.reason}`);
	}
	log(`audit: ${audit.events.map((e) => e.action).join(', ')}`);
}

runIfMain(import.meta.url, main);
