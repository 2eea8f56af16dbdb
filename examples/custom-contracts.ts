/**
 * Authoring contracts: the decorator form on a contract class, the function forms, and a session contract.
 * Run: npx tsx examples/custom-contracts.ts
 */
import {
	postcondition,
	precondition,
	sessionContract,
	ToolCallDenied,
	Verdict,
	Warden,
	type SessionView,
	type ToolEnvelope,
} from 'toolwarden';
import { runIfMain } from './run-main.js';

/** Decorator form: each decorated method is a rule named after the method; `this` is this instance. */
class EmailPolicy {
	constructor(private readonly allowedDomain: string) {}

	@precondition('send_email')
	internalRecipientsOnly(call: ToolEnvelope) {
		const to = String(call.args['to']);
		return to.endsWith(`@${this.allowedDomain}`)
			? Verdict.pass()
			: Verdict.fail(
					`Only @${this.allowedDomain} recipients are allowed. Ask the user to confirm external recipients.`,
				);
	}

	@sessionContract()
	fewEmails(session: SessionView) {
		return session.toolExecutions('send_email') < 2
			? Verdict.pass()
			: Verdict.fail('Two emails per session at most: summarise the rest in one message.');
	}
}

/** Function forms: a precondition with a `when` filter, and a postcondition that warns. */
const noAttachmentsInProduction = precondition(
	'send_email',
	(call) =>
		call.args['attachment'] === undefined
			? Verdict.pass()
			: Verdict.fail('No attachments in production; link to the document instead.'),
	{
		name: 'noAttachmentsInProduction',
		when: (call) => call.environment === 'production',
	},
);

const deliveredCheck = postcondition(
	'send_email',
	(_call, result) =>
		(result as { delivered?: boolean }).delivered === true
			? Verdict.pass()
			: Verdict.fail('The email was accepted but not delivered; check the address.'),
	{ name: 'delivered' },
);

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const warden = new Warden({ contracts: [new EmailPolicy('example.com'), noAttachmentsInProduction, deliveredCheck] });
	const send = warden.wrap('send_email', (args: { to: string; body: string; attachment?: string }) => ({
		delivered: !args.to.startsWith('bounce'),
	}));

	const attempts = [
		{ to: 'ann@example.com', body: 'Hello' },
		{ to: 'eve@evil.test', body: 'Hello' },
		{ to: 'bob@example.com', body: 'Report', attachment: 'q3.pdf' },
		{ to: 'bounce@example.com', body: 'Hello' },
		{ to: 'cid@example.com', body: 'Third' },
	];
	for (const args of attempts) {
		try {
			await send(args);
			log(`sent to ${args.to}`);
		} catch (error) {
			if (!(error instanceof ToolCallDenied)) throw error;
			log(`denied (${error.source}/${error.rule}) ${args.to}: ${error.reason}`);
		}
	}
	const call = await warden.begin('send_email', { to: 'bounce2@example.com', body: 'x' }, { sessionId: 'another' });
	const post = await call.succeed({ delivered: false });
	log(`postcondition warnings: ${post.warnings.join(' | ')}`);
}

runIfMain(import.meta.url, main);
