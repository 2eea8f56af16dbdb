import type { Awaitable, StorageBackend } from '../storage/StorageBackend.js';
import { CallStorage } from '../storage/CallStorage.js';
import { isThenable } from '../_internal/isThenable.js';
import type { GuardTrail } from './GuardTrail.js';

/**
 * Gives back what the guards of a stopped call reserved: on the store itself (the call's bound may be spent),
 * waiting at most until the call's bound.
 */
export function releaseGuards(guards: GuardTrail, storage: StorageBackend): Awaitable<void> {
	if (!(storage instanceof CallStorage)) return release(guards, storage);
	return storage.settle(release(guards, storage.store));
}

async function release(guards: GuardTrail, storage: StorageBackend): Promise<void> {
	const context = storage === guards.context.storage ? guards.context : { ...guards.context, storage };
	for (const [i, rule] of guards.rules.entries()) {
		if (!guards.passed(i) || rule.guard.release === undefined) continue;
		try {
			const done = rule.guard.release(context);
			if (isThenable(done)) await done;
		} catch {
			// Releasing is best effort: a reservation that could not be returned only makes a guard stricter.
		}
	}
}
