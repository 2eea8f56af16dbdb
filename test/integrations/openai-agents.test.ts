import { Agent, run, setTracingDisabled, tool } from '@openai/agents-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, precondition, repeatGuard, Verdict, Warden } from '../../src/index.js';
import { governTool, governTools } from '../../src/adapters/openai-agents/index.js';
import { assistantText, functionCall, ScriptedAgentsModel } from '../../examples/support/scriptedAgentsModel.js';

const noDotEnv = () =>
	precondition('read_file', (call) =>
		String(call.args['path']).endsWith('.env')
			? Verdict.fail('Reading .env files is not allowed. Ask the user for the value.')
			: Verdict.pass(),
	);
const makeReadFile = (counter: { reads: number }) =>
	tool({
		name: 'read_file',
		description: 'Read a file',
		parameters: z.object({ path: z.string() }),
		execute: async ({ path }) => (counter.reads++, `contents of ${path}`),
	});

beforeAll(() => setTracingDisabled(true));

describe('toolwarden/openai-agents with a real run(agent, ...)', () => {
	it('a denial reaches the model as the tool output, the run goes on, and the callId is the model call id', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, contracts: [noDotEnv()] });
		const counter = { reads: 0 };
		const model = new ScriptedAgentsModel([
			functionCall('call-1', 'read_file', { path: '.env' }),
			functionCall('call-2', 'read_file', { path: 'README.md' }),
			assistantText('Done.'),
		]);
		const agent = new Agent({ name: 'files', model, tools: governTools(warden, [makeReadFile(counter)]) });
		const result = await run(agent, 'read the config');
		expect(result.finalOutput).toBe('Done.');
		expect(counter.reads).toBe(1);
		const second = JSON.stringify(model.requests[1]?.input);
		expect(second).toContain('Reading .env files is not allowed. Ask the user for the value.');
		expect(JSON.stringify(model.requests[2]?.input)).toContain('contents of README.md');
		expect(sink.events.map((e) => [e.callId, e.action])).toEqual([
			['call-1', 'call_denied'],
			['call-2', 'call_allowed'],
			['call-2', 'call_executed'],
		]);
	});

	it('the model sees the tool unchanged; observe mode never blocks; replays return the recorded output', async () => {
		const counter = { reads: 0 };
		const original = makeReadFile(counter);
		const governed = governTool(new Warden(), original);
		expect([governed.name, governed.description, governed.parameters]).toEqual([
			original.name,
			original.description,
			original.parameters,
		]);

		const observing = new Warden({ mode: 'observe', contracts: [noDotEnv()] });
		await run(
			new Agent({
				name: 'o',
				model: new ScriptedAgentsModel([functionCall('o1', 'read_file', { path: '.env' }), assistantText('ok')]),
				tools: [governTool(observing, makeReadFile(counter))],
			}),
			'x',
		);
		expect(counter.reads).toBe(1);

		const replayModel = new ScriptedAgentsModel([
			...[1, 2, 3].map((i) => functionCall(`r${i}`, 'read_file', { path: 'a.txt' })),
			assistantText('ok'),
		]);
		await run(
			new Agent({
				name: 'r',
				model: replayModel,
				tools: [governTool(new Warden({ contracts: [repeatGuard()] }), makeReadFile(counter))],
			}),
			'x',
		);
		expect(counter.reads).toBe(3);
		expect(JSON.stringify(replayModel.requests[3]?.input)).toContain('contents of a.txt');
	});
});
