import { CliError } from '../CliError.js';
import { EXIT, type Command } from '../Command.js';
import { resolveLogSets } from '../input/logSets.js';
import { scanEvents } from '../input/scanEvents.js';
import { formatReplay } from '../replay/formatReplay.js';
import { loadPolicy } from '../replay/loadPolicy.js';
import { RecordedClock } from '../replay/recordedClock.js';
import { ReplayDiff, type ReplayResult } from '../replay/ReplayDiff.js';
import { Replayer } from '../replay/Replayer.js';

const USAGE = `Usage: toolwarden replay <paths...> --policy P [--fail-on newly-denied|newly-allowed|changed] [--json]
  Re-evaluates every recorded call, session by session in recorded order, against the policy module P (default
  export: WardenOptions or a function returning them) in a fresh in-memory Warden; no tool runs. Prints what the
  policy decides differently, per rule and per tool. --fail-on exits 1 when such a difference exists (a CI gate);
  it may be repeated or comma-separated.`;

const FAIL_ON = ['newly-denied', 'newly-allowed', 'changed'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** `toolwarden replay`: recorded traffic against a revised policy. */
export const replay: Command = {
	name: 'replay',
	summary: 'replay recorded calls against a policy: newly denied, newly allowed, different rule',
	usage: USAGE,
	options: { policy: { type: 'string' }, 'fail-on': { type: 'string', multiple: true } },
	async run(options, positionals, io) {
		const policyPath = options['policy'];
		if (typeof policyPath !== 'string')
			throw new CliError('--policy P is required (a module whose default export is WardenOptions).');
		const failOn = parseFailOn(options['fail-on']);
		const sets = await resolveLogSets(positionals, io.cwd);
		const policy = await loadPolicy(policyPath, io.cwd);
		// A first, cheap pass finds each session's last event, so replay frees a session's state when it ends.
		const lastEvent = new Map<string, number>();
		let ordinal = 0;
		await scanEvents(sets, io, 'replay: sessions', (event) => void lastEvent.set(event.sessionId, ordinal++), {
			warn: false,
		});
		const diff = new ReplayDiff();
		const replayer = new Replayer(policy, diff, lastEvent);
		const clock = new RecordedClock();
		clock.install();
		try {
			await scanEvents(sets, io, 'replay', (event) => {
				clock.advance(event.timestamp);
				return replayer.add(event);
			});
		} finally {
			clock.restore();
		}
		const result = {
			...diff.result(),
			assumedOutcomes: replayer.assumedOutcomes,
			policy: policyPath,
			files: sets.map((set) => [...set.files]),
		};
		io.stdout.write(
			options['json'] === true ? `${JSON.stringify(result, null, 2)}\n` : formatReplay(result, policyPath),
		);
		return failOn.some((kind) => matches(kind, result)) ? EXIT.FOUND : EXIT.OK;
	},
};

function parseFailOn(value: unknown): FailOn[] {
	const given = (Array.isArray(value) ? value : []).flatMap((v) => String(v).split(',')).map((v) => v.trim());
	for (const kind of given)
		if (!(FAIL_ON as readonly string[]).includes(kind))
			throw new CliError(`--fail-on ${kind}: expected ${FAIL_ON.join(', ')}.`);
	return given as FailOn[];
}

function matches(kind: FailOn, result: ReplayResult): boolean {
	if (kind === 'newly-denied') return result.newlyDenied.total > 0;
	if (kind === 'newly-allowed') return result.newlyAllowed.total > 0;
	const { newlyDenied, newlyAllowed, differentRule, replayChanged, newlyHeld, noLongerHeld } = result;
	const moved = replayChanged.total + newlyHeld.total + noLongerHeld.total;
	return newlyDenied.total + newlyAllowed.total + differentRule + moved > 0;
}
