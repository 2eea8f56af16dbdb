/**
 * Human approval, resumable form: without a handler, `warden.run` throws `ApprovalRequired`; a person approves the
 * request out of band (here an operator Warden sharing the storage, as a second process would share a RedisStorage),
 * and the agent's retry of the same call runs once. Run: npx tsx examples/approvals-resumable.ts
 */
import { ApprovalRequired, MemoryStorage, requireApproval, Warden } from 'toolwarden';
import { runIfMain } from './run-main.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	// With several processes: `new RedisStorage({ url })` in each, instead of one shared MemoryStorage.
	const storage = new MemoryStorage();
	const agent = new Warden({
		storage,
		sessionId: 'ticket-42',
		contracts: [requireApproval('deploy', { approvers: ['oncall@example.com'] })],
	});
	const operator = new Warden({ storage });
	const deploy = () =>
		agent.run('deploy', { service: 'api', version: '2.4.1' }, (args) => `deployed ${args.service}@${args.version}`);

	try {
		await deploy();
	} catch (error) {
		if (!(error instanceof ApprovalRequired)) throw error;
		log(`held: ${error.reason} (request ${error.approval.id.slice(0, 8)}…)`);
	}
	// The operator's side: a dashboard, a CLI (`toolwarden approvals list`), another service.
	const [pending] = await operator.approvals.list({ status: 'pending' });
	if (pending === undefined) throw new Error('no pending request');
	log(`pending: ${pending.toolName} ${JSON.stringify(pending.args)} in ${pending.sessionId}`);
	await operator.approvals.approve(pending.id, { approver: 'oncall@example.com', note: 'change CR-118' });
	log(await deploy()); // the retry runs once, on the grant
	log(`grant: ${(await operator.approvals.get(pending.id))?.status}`);
	try {
		await deploy();
	} catch (error) {
		if (error instanceof ApprovalRequired) log('the next identical deploy is held again');
	}
}

runIfMain(import.meta.url, main);
