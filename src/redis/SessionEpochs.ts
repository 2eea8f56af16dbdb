import { randomBytes } from 'node:crypto';

/** Sessions whose epoch one process remembers (least recently written forgotten first): about 100 bytes each. */
const MAX_REMEMBERED = 100_000;

/**
 * What this process knows of each session's epoch (see `integrity.ts`): the epoch it last wrote under, and when. A
 * process that saw a session in use notices when its state vanishes; one that never saw it cannot, so detection
 * holds as long as one process that served the session keeps running. A session idle longer than its TTL expired
 * the ordinary way: its epoch is no longer expected.
 */
export class SessionEpochs {
	readonly #seen = new Map<string, { epoch: string; at: number }>();
	readonly #ttlMs: number;
	/** Fresh epochs: a random process id and a counter, unique without a random draw per call. */
	readonly #origin = randomBytes(9).toString('base64url');
	#count = 0;

	constructor(ttlMs: number) {
		this.#ttlMs = ttlMs;
	}

	/** The epoch the session should have, or '' when this process has no recent knowledge of it. */
	expected(namespace: string, now: number): string {
		const seen = this.#seen.get(namespace);
		return seen === undefined || now - seen.at >= this.#ttlMs ? '' : seen.epoch;
	}

	/** A new, unique epoch. */
	fresh(): string {
		return `${this.#origin}.${(this.#count++).toString(36)}`;
	}

	/** Records that the session was written under `epoch` at `now` (a write refreshes its TTL). */
	wrote(namespace: string, epoch: string, now: number): void {
		if (epoch === '') return;
		this.#seen.delete(namespace);
		this.#seen.set(namespace, { epoch, at: now });
		if (this.#seen.size > MAX_REMEMBERED) this.#seen.delete(this.#seen.keys().next().value as string);
	}
}
