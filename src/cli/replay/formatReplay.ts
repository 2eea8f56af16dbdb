import { clip, count, inline } from '../format.js';
import type { ReplayExample, ReplayResult } from './ReplayDiff.js';
import type { CallVerdict } from './verdicts.js';

const LABEL: Record<ReplayExample['change'], string> = {
	newlyDenied: 'newly denied',
	newlyAllowed: 'newly allowed',
	differentRule: 'different rule',
	replayChanged: 'replay changed',
	newlyHeld: 'newly held for approval',
	noLongerHeld: 'no longer held for approval',
};

const VERB: Record<Exclude<CallVerdict['kind'], 'allow'>, string> = {
	deny: 'denied',
	replay: 'replayed',
	hold: 'held for approval',
};

function verdict(v: CallVerdict): string {
	if (v.kind === 'allow') return 'allowed';
	return `${VERB[v.kind]} by ${v.rules.join(', ')}`;
}

/** The text form of a replay: the differences per rule and per tool, then examples to check by hand. */
export function formatReplay(result: ReplayResult & { assumedOutcomes: number }, policy: string): string {
	const out = [`toolwarden replay: ${count(result.calls)} recorded calls against ${policy}`, ''];
	const section = (
		title: string,
		counts: { total: number; byRule: Record<string, number>; byTool: Record<string, number> },
	) => {
		out.push(`${title}: ${count(counts.total)}`);
		if (counts.total === 0) return;
		out.push(`  by rule   ${inline(counts.byRule)}`);
		out.push(`  by tool   ${inline(counts.byTool)}`);
	};
	section('Newly denied (the log let them through)', result.newlyDenied);
	section('Newly allowed (the log denied them)', result.newlyAllowed);
	section('Denied by a different rule', { total: result.differentRule, ...result.differentRuleDetail });
	if (result.replayChanged.total > 0)
		section('Replay changed (to or from a recorded-result answer)', result.replayChanged);
	if (result.newlyHeld.total > 0) section('Newly held for approval (the log did not ask)', result.newlyHeld);
	if (result.noLongerHeld.total > 0)
		section('No longer held for approval (the log asked; allowed or denied now)', result.noLongerHeld);
	out.push(`Unchanged: ${count(result.unchanged)}`);
	if (result.uncertain > 0)
		out.push(
			`Uncertain: ${count(result.uncertain)} calls whose recorded args were redacted or cut; replayed, not compared.`,
		);
	if (result.assumedOutcomes > 0)
		out.push(
			`Assumed: ${count(result.assumedOutcomes)} calls the log never ran were allowed now; ` +
				'their outcome was taken as a success.',
		);
	if (result.examples.length > 0) {
		out.push('', 'Examples:');
		for (const example of result.examples) {
			out.push(`  ${LABEL[example.change]}: ${example.toolName} ${clip(JSON.stringify(example.args) ?? '', 80)}`);
			out.push(`    session ${example.sessionId}, call ${example.callId}, ${example.timestamp}`);
			out.push(
				`    was ${verdict(example.recorded)}; now ${verdict(example.replayed)}` +
					(example.replayed.reason === undefined ? '' : `: ${clip(example.replayed.reason, 100)}`),
			);
		}
	}
	return `${out.join('\n')}\n`;
}
