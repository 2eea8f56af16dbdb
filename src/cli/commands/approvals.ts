import { resolve } from 'node:path';
import { JsonlFileSink, Warden, type ApprovalRequest, type ApprovalStatus, type WardenOptions } from '../../index.js';
import { CliError, oneLine } from '../CliError.js';
import { EXIT, type CliIo, type Command, type ParsedOptions } from '../Command.js';
import { clip } from '../format.js';
import { loadPolicy } from '../replay/loadPolicy.js';

const USAGE = `Usage: toolwarden approvals list --policy P [--session ID] [--status S] [--json]
       toolwarden approvals approve ID --policy P --as APPROVER [--reason NOTE] [--audit-log F] [--json]
       toolwarden approvals deny ID --policy P --as APPROVER [--reason R] [--audit-log F] [--json]
  Lists and resolves approval requests (held calls) in the store the policy module P names (its storage: for a
  RedisStorage, every process sharing it sees the result at once). --as names who decides: never the call's own
  principal, and one of the request's approvers when it has a list. --audit-log F appends the approval events to a
  hash-chained JSONL file of the CLI's own (the app's log has one writer). Exit 0 done, 1 refused (already
  resolved, expired, unknown id, not allowed to approve), 2 usage.`;

const ACTIONS = ['list', 'approve', 'deny'] as const;
const STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'denied', 'expired', 'consumed'];
/** Refusals of API §10: a conflict (resolved, expired, consumed, unknown) or an approver who may not decide. */
const REFUSED = new Set(['ApprovalConflictError', 'ConfigError']);

/**
 * Options the CLI's Warden never takes from the policy: it writes no app audit log (one writer per file; use
 * `--audit-log`), traces nothing, and asks no handler. The storage is the policy's: that is where the requests are.
 */
const IGNORED = ['audit', 'onAuditError', 'auditFailMode', 'tracer', 'meter', 'approvals'] as const;

/** `toolwarden approvals`: list, approve and deny held calls (API §10, §11) from a terminal or a script. */
export const approvals: Command = {
	name: 'approvals',
	summary: 'list, approve or deny held calls in the store the policy names',
	usage: USAGE,
	options: {
		policy: { type: 'string' },
		as: { type: 'string' },
		reason: { type: 'string' },
		session: { type: 'string' },
		status: { type: 'string' },
		'audit-log': { type: 'string' },
	},
	async run(options, positionals, io) {
		const [action, id, ...extra] = positionals;
		if (!(ACTIONS as readonly (string | undefined)[]).includes(action))
			throw new CliError(`expected list, approve ID or deny ID; got ${action ?? 'nothing'}.`);
		if (action !== 'list' && (id === undefined || id === '')) throw new CliError(`${action} needs the request's ID.`);
		if (extra.length > 0 || (action === 'list' && id !== undefined))
			throw new CliError(`unexpected argument ${extra[0] ?? id}.`);
		const policyPath = options['policy'];
		if (typeof policyPath !== 'string')
			throw new CliError('--policy P is required (the module whose storage holds the requests).');
		const approver = options['as'];
		if (action !== 'list' && (typeof approver !== 'string' || approver.trim() === ''))
			throw new CliError('--as APPROVER is required: who approves or denies (recorded with the request).');
		const warden = build(await loadPolicy(policyPath, io.cwd), options, io);
		try {
			if (action === 'list') return await list(warden, options, io);
			return await decide(warden, action as 'approve' | 'deny', id as string, approver as string, options, io);
		} finally {
			await warden.close();
		}
	},
};

function build(policy: WardenOptions, options: ParsedOptions, io: CliIo): Warden {
	const kept: Record<string, unknown> = { ...policy };
	for (const key of IGNORED) delete kept[key];
	const auditLog = options['audit-log'];
	try {
		return new Warden({
			...(kept as WardenOptions),
			...(typeof auditLog === 'string'
				? { audit: new JsonlFileSink(resolve(io.cwd, auditLog), { hashChain: true }) }
				: {}),
		});
	} catch (error) {
		throw new CliError(`--policy: invalid WardenOptions: ${oneLine(error)}`, { cause: error });
	}
}

async function list(warden: Warden, options: ParsedOptions, io: CliIo): Promise<number> {
	const status = options['status'];
	if (status !== undefined && !(STATUSES as readonly unknown[]).includes(status))
		throw new CliError(`--status ${String(status)}: expected ${STATUSES.join(', ')}.`);
	const session = options['session'];
	let requests: ApprovalRequest[];
	try {
		requests = await warden.approvals.list({
			...(typeof session === 'string' ? { sessionId: session } : {}),
			...(typeof status === 'string' ? { status: status as ApprovalStatus } : {}),
		});
	} catch (error) {
		throw new CliError(oneLine(error), { cause: error });
	}
	if (options['json'] === true) io.stdout.write(`${JSON.stringify({ requests }, null, 2)}\n`);
	else if (requests.length === 0) io.stdout.write('No approval requests.\n');
	else for (const request of requests) io.stdout.write(`${describe(request)}\n`);
	return EXIT.OK;
}

async function decide(
	warden: Warden,
	action: 'approve' | 'deny',
	id: string,
	approver: string,
	options: ParsedOptions,
	io: CliIo,
): Promise<number> {
	const reason = typeof options['reason'] === 'string' ? options['reason'] : undefined;
	let request: ApprovalRequest;
	try {
		request =
			action === 'approve'
				? await warden.approvals.approve(id, { approver, ...(reason === undefined ? {} : { note: reason }) })
				: await warden.approvals.deny(id, { approver, reason: reason ?? `Denied by ${approver}.` });
	} catch (error) {
		const name = error instanceof Error ? error.name : '';
		if (!REFUSED.has(name)) throw error;
		if (options['json'] === true)
			io.stdout.write(`${JSON.stringify({ ok: false, error: name, message: oneLine(error) }, null, 2)}\n`);
		io.stderr.write(`toolwarden approvals: refused: ${oneLine(error)}\n`);
		return EXIT.FOUND;
	}
	if (options['json'] === true) io.stdout.write(`${JSON.stringify({ ok: true, request }, null, 2)}\n`);
	else io.stdout.write(`${action === 'approve' ? 'approved' : 'denied'}  ${describe(request)}\n`);
	return EXIT.OK;
}

/** One request on one line: what an operator needs to decide, and the id to decide with. */
function describe(request: ApprovalRequest): string {
	const who = request.approver === undefined ? '' : ` by ${request.approver}`;
	return (
		`${request.id}  ${request.status}${who}  ${request.toolName} ${clip(JSON.stringify(request.args) ?? '', 60)}  ` +
		`session ${request.sessionId}, rule ${request.rule}, expires ${request.expiresAt}: ${clip(request.message, 80)}`
	);
}
