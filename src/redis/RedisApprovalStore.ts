import type { Redis } from 'ioredis';
import type { ApprovalFilter, ApprovalRequest, ApprovalStatus } from '../decisions/ApprovalRequest.js';
import type {
	ApprovalClaim,
	ApprovalRead,
	ApprovalResolution,
	ApprovalStore,
	ResolveResult,
} from '../storage/ApprovalStore.js';
import { isLapsed } from '../decisions/expiry.js';
import { CLAIM, GET, RESOLVE } from './approvalScripts.js';

/** What RedisApprovalStore borrows from RedisStorage: its client, script runner and timeout-bounded runner. */
export interface RedisRunner {
	readonly client: Redis;
	eval(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
	/** Runs a command once connected, within the store's timeout; failures become `StorageUnavailableError`. */
	run<T>(operation: () => Promise<T>): Promise<T>;
}

/** Requests are kept this long after they expire, so late approvers get a clear conflict instead of "unknown". */
const RETENTION_MS = 86_400_000;
/** `list()` looks at this many of the newest requests. */
const LIST_MAX = 1000;

type ScriptAnswer = [string, string, string[]];

/**
 * Approval requests in Redis (the approval part of `RedisStorage`): every process sharing the store and key prefix
 * sees, resolves and consumes the same requests, each operation one atomic Lua script.
 */
export class RedisApprovalStore implements ApprovalStore {
	readonly #redis: RedisRunner;
	readonly #prefix: string;

	constructor(redis: RedisRunner, keyPrefix: string) {
		this.#redis = redis;
		this.#prefix = `${keyPrefix}{approvals}:`;
	}

	async claimApproval(fresh: ApprovalRequest, now: number): Promise<ApprovalClaim> {
		const { id, digest, createdAt, expiresAt, status: _status, ...rest } = fresh;
		const body = JSON.stringify({ id, digest, createdAt, expiresAt, ...rest });
		const args = [this.#request(''), id, body, Date.parse(expiresAt), now, Date.parse(createdAt), RETENTION_MS];
		const [outcome, , fields] = (await this.#redis.eval(
			CLAIM,
			[this.#digest(digest), this.#index()],
			args,
		)) as ScriptAnswer;
		const request = decode(fields);
		if (outcome === 'created') return { outcome: 'pending', request, created: true };
		if (outcome === 'pending') return { outcome: 'pending', request, created: false };
		return { outcome: outcome as 'granted' | 'denied' | 'expired', request };
	}

	async peekApproval(digest: string, now: number): Promise<ApprovalRequest | undefined> {
		const { client } = this.#redis;
		const id = await this.#redis.run(() => client.get(this.#digest(digest)));
		if (id === null) return undefined;
		const fields = await this.#redis.run(() => client.hgetall(this.#request(id)));
		if (fields['json'] === undefined) return undefined;
		const request = decodeRecord(fields);
		const live = request.status === 'pending' || request.status === 'approved' || request.status === 'denied';
		return live && !isLapsed(request, now) ? request : undefined;
	}

	async getApproval(id: string, now: number): Promise<ApprovalRead<ApprovalRequest | undefined>> {
		const [outcome, , fields] = (await this.#redis.eval(GET, [this.#request(id)], [now])) as ScriptAnswer;
		if (outcome === 'unknown') return { value: undefined, expired: [] };
		const request = decode(fields);
		return { value: request, expired: outcome === 'expired' ? [request] : [] };
	}

	async listApprovals(filter: ApprovalFilter, now: number): Promise<ApprovalRead<ApprovalRequest[]>> {
		const { client } = this.#redis;
		const ids = await this.#redis.run(() => client.zrevrange(this.#index(), 0, LIST_MAX - 1));
		const reads = await Promise.all(ids.map((id) => this.getApproval(id, now)));
		const value: ApprovalRequest[] = [];
		const expired: ApprovalRequest[] = [];
		for (const read of reads) {
			const request = read.value;
			if (request === undefined || (filter.sessionId !== undefined && request.sessionId !== filter.sessionId)) continue;
			expired.push(...read.expired);
			if (filter.status === undefined || request.status === filter.status) value.push(request);
		}
		return { value, expired };
	}

	async resolveApproval(id: string, resolution: ApprovalResolution, now: number): Promise<ResolveResult> {
		const args = [
			now,
			resolution.status,
			resolution.approver,
			resolution.resolvedAt,
			resolution.note ?? '',
			resolution.reason ?? '',
		];
		const [outcome, , fields] = (await this.#redis.eval(RESOLVE, [this.#request(id)], args)) as ScriptAnswer;
		if (outcome === 'unknown') return { ok: false, request: undefined };
		const request = decode(fields);
		if (outcome === 'ok') return { ok: true, request };
		return outcome === 'expired' ? { ok: false, request, expired: request } : { ok: false, request };
	}

	#request(id: string): string {
		return `${this.#prefix}r:${id}`;
	}

	#digest(digest: string): string {
		return `${this.#prefix}d:${digest}`;
	}

	#index(): string {
		return `${this.#prefix}idx`;
	}
}

function decode(flat: readonly string[]): ApprovalRequest {
	const fields: Record<string, string> = {};
	for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
	return decodeRecord(fields);
}

function decodeRecord(fields: Record<string, string>): ApprovalRequest {
	const body = JSON.parse(fields['json'] ?? '{}') as Omit<ApprovalRequest, 'status'>;
	const { approver, resolvedAt, note, reason } = fields;
	return Object.freeze({
		...body,
		status: fields['status'] as ApprovalStatus,
		...(approver === undefined ? {} : { approver }),
		...(resolvedAt === undefined ? {} : { resolvedAt }),
		...(note === undefined ? {} : { note }),
		...(reason === undefined ? {} : { reason }),
	});
}
