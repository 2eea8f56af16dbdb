/** The gateway tests' policy module: its default export is the Warden's options. */
import { JsonlFileSink, precondition, Verdict, type WardenOptions } from '../../../src/index.js';

const policy: WardenOptions = {
	// The policy's own registry wins over the server's annotations (get-sum is annotated read-only).
	tools: { 'get-sum': { sideEffect: 'pure' } },
	contracts: [
		precondition(
			'get-env',
			() => Verdict.fail('Reading the environment is not allowed; ask the user for the value you need.'),
			{ name: 'noEnv' },
		),
	],
	audit: new JsonlFileSink(process.env['TW_AUDIT_PATH'] ?? 'gateway-test-audit.jsonl'),
};
export default policy;
