/**
 * `npm run scenarios`: runs every scenario in scenarios/*.json and prints, per scenario, what ran and what governance
 * stopped. Exits non-zero when a scenario's decisions differ from its `expect` list.
 */
import { fileURLToPath } from 'node:url';
import { loadScenarios, runScenario } from './runScenario.js';

const folder = fileURLToPath(new URL('.', import.meta.url));
const scenarios = await loadScenarios(folder);
const rows = [['scenario', 'calls', 'executed', 'denied', 'replayed', 'cost', 'first intervention', 'as expected']];
let mismatches = 0;
for (const scenario of scenarios) {
	const result = await runScenario(scenario);
	const matches = JSON.stringify(result.decisions) === JSON.stringify(scenario.expect);
	if (!matches) mismatches++;
	rows.push([
		result.name,
		String(result.decisions.length),
		String(result.executed),
		String(result.denied),
		String(result.replayed),
		`$${result.costUsd.toFixed(2)}`,
		result.firstIntervention === null
			? '-'
			: `step ${result.firstIntervention.step} (${result.firstIntervention.rule})`,
		matches ? 'yes' : `NO: got ${result.decisions.join(',')}`,
	]);
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
if (mismatches > 0) {
	console.error(`\n${mismatches} scenario(s) did not match their expected decisions.`);
	process.exitCode = 1;
}
