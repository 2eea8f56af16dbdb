// Compatibility check of the AI SDK and OpenAI Agents adapters with ai@7 and @openai/agents-core@0.20, which need
// Node >= 22 by their engines and so are not devDependencies. Run by scripts/compat/check-ai7-agents020.sh in a
// scratch folder (never in the repo): type-checked with tsc, then run with tsx.
import { generateText, stepCountIs, tool, type ToolExecutionOptions, type ToolSet } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { Agent, run, setTracingDisabled, tool as agentsTool } from '@openai/agents-core';
import { z } from 'zod';
import { MemorySink, precondition, Verdict, Warden } from '__REPO__/src/index.js';
import { governTools } from '__REPO__/src/adapters/ai-sdk/index.js';
import { governTools as governAgentsTools } from '__REPO__/src/adapters/openai-agents/index.js';
import { assistantText, functionCall, ScriptedAgentsModel } from './scriptedAgentsModel.js';

const noEnv = precondition('read_file', (call) =>
	String(call.args['path']).endsWith('.env') ? Verdict.fail('No .env files. Ask the user.') : Verdict.pass(),
);
const assert = (ok: boolean, what: string) => {
	if (!ok) throw new Error(`FAILED: ${what}`);
	console.log(`ok - ${what}`);
};

async function aiSdk7(): Promise<void> {
	const sink = new MemorySink();
	const warden = new Warden({ audit: sink, contracts: [noEnv] });
	let reads = 0;
	let seenContext: unknown;
	const readFile = tool({
		description: 'Read a file',
		inputSchema: z.object({ path: z.string() }),
		contextSchema: z.object({ userId: z.string() }),
		execute: async ({ path }, options: ToolExecutionOptions<{ userId: string }>) => {
			seenContext = options.context;
			reads++;
			return `contents of ${path}`;
		},
	});
	const tools = governTools(warden, { read_file: readFile });
	// Type check: the governed tools are the same ToolSet type, accepted by generateText.
	const same: typeof tools extends ToolSet ? true : false = true;
	void same;
	const usage = {
		inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
		outputTokens: { total: 1, text: 1, reasoning: 0 },
	};
	const call = (id: string, path: string) => ({
		content: [{ type: 'tool-call' as const, toolCallId: id, toolName: 'read_file', input: JSON.stringify({ path }) }],
		finishReason: { unified: 'tool-calls' as const, raw: undefined },
		usage,
		warnings: [],
	});
	const model = new MockLanguageModelV4({
		doGenerate: [
			call('c1', '.env'),
			call('c2', 'README.md'),
			{
				content: [{ type: 'text', text: 'Done.' }],
				finishReason: { unified: 'stop', raw: undefined },
				usage,
				warnings: [],
			},
		],
	});
	const result = await generateText({
		model,
		tools,
		toolsContext: { read_file: { userId: 'u1' } },
		prompt: 'read',
		stopWhen: stepCountIs(5),
	});
	assert(result.text === 'Done.', 'ai@7 generateText loop goes on after a denial');
	assert(reads === 1, 'ai@7: the denied call never ran, the allowed one ran once');
	assert(
		JSON.stringify(model.doGenerateCalls[1]?.prompt).includes('No .env files. Ask the user.'),
		'ai@7: the model read the denial',
	);
	assert(JSON.stringify(seenContext) === '{"userId":"u1"}', 'ai@7: the tool still receives options.context');
	assert(
		JSON.stringify(sink.events.map((e) => [e.callId, e.action])) ===
			JSON.stringify([
				['c1', 'call_denied'],
				['c2', 'call_allowed'],
				['c2', 'call_executed'],
			]),
		'ai@7: toolCallId is the callId',
	);
}

async function agents020(): Promise<void> {
	setTracingDisabled(true);
	const sink = new MemorySink();
	const warden = new Warden({ audit: sink, contracts: [noEnv] });
	let reads = 0;
	const readFile = agentsTool({
		name: 'read_file',
		description: 'Read a file',
		parameters: z.object({ path: z.string() }),
		execute: async ({ path }) => (reads++, `contents of ${path}`),
	});
	const model = new ScriptedAgentsModel([
		functionCall('call-1', 'read_file', { path: '.env' }),
		functionCall('call-2', 'read_file', { path: 'README.md' }),
		assistantText('Done.'),
	]);
	const agent = new Agent({ name: 'files', model, tools: governAgentsTools(warden, [readFile]) });
	const result = await run(agent, 'read the config');
	assert(result.finalOutput === 'Done.', 'agents-core@0.20 run goes on after a denial');
	assert(reads === 1, 'agents-core@0.20: the denied call never ran');
	assert(
		JSON.stringify(model.requests[1]?.input).includes('No .env files. Ask the user.'),
		'agents-core@0.20: the model read the denial',
	);
	assert(
		JSON.stringify(sink.events.map((e) => [e.callId, e.action])) ===
			JSON.stringify([
				['call-1', 'call_denied'],
				['call-2', 'call_allowed'],
				['call-2', 'call_executed'],
			]),
		'agents-core@0.20: the model call id is the callId',
	);
}

await aiSdk7();
await agents020();
