import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, precondition, repeatGuard, Verdict, Warden } from '../../src/index.js';
import { governTools } from '../../src/adapters/ai-sdk/index.js';

const usage = {
	inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
	outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const toolCall = (toolCallId: string, toolName: string, input: object) => ({
	content: [{ type: 'tool-call' as const, toolCallId, toolName, input: JSON.stringify(input) }],
	finishReason: { unified: 'tool-calls' as const, raw: undefined },
	usage,
	warnings: [],
});
const text = (value: string) => ({
	content: [{ type: 'text' as const, text: value }],
	finishReason: { unified: 'stop' as const, raw: undefined },
	usage,
	warnings: [],
});

describe('toolwarden/ai-sdk with a real generateText loop', () => {
	it('a denial reaches the model as the tool result, the loop goes on, and the toolCallId is the callId', async () => {
		const sink = new MemorySink();
		const warden = new Warden({
			audit: sink,
			contracts: [
				precondition('read_file', (call) =>
					String(call.args['path']).endsWith('.env')
						? Verdict.fail('Reading .env files is not allowed. Ask the user for the value.')
						: Verdict.pass(),
				),
			],
		});
		let reads = 0;
		const tools = governTools(warden, {
			read_file: tool({
				description: 'Read a file',
				inputSchema: z.object({ path: z.string() }),
				execute: async ({ path }) => (reads++, `contents of ${path}`),
			}),
		});
		const model = new MockLanguageModelV3({
			doGenerate: [
				toolCall('call-1', 'read_file', { path: '.env' }),
				toolCall('call-2', 'read_file', { path: 'README.md' }),
				text('Done.'),
			],
		});
		const result = await generateText({ model, tools, prompt: 'read the config', stopWhen: stepCountIs(5) });
		expect(result.text).toBe('Done.');
		expect(reads).toBe(1);
		// The model's second request carries the denial as the tool result.
		const second = JSON.stringify(model.doGenerateCalls[1]?.prompt);
		expect(second).toContain('Reading .env files is not allowed. Ask the user for the value.');
		expect(second).toContain('"denied":true');
		expect(JSON.stringify(model.doGenerateCalls[2]?.prompt)).toContain('contents of README.md');
		expect(sink.events.map((e) => [e.callId, e.action])).toEqual([
			['call-1', 'call_denied'],
			['call-2', 'call_allowed'],
			['call-2', 'call_executed'],
		]);
	});

	it('the model sees the tool definitions unchanged', async () => {
		const original = {
			search: tool({
				description: 'Search the web',
				inputSchema: z.object({ q: z.string() }),
				execute: async ({ q }) => q,
			}),
		};
		const model = new MockLanguageModelV3({ doGenerate: text('hi') });
		await generateText({ model, tools: governTools(new Warden(), original), prompt: 'x' });
		const [sent] = model.doGenerateCalls[0]?.tools ?? [];
		expect(sent).toMatchObject({ type: 'function', name: 'search', description: 'Search the web' });
		expect(JSON.stringify(sent)).toContain('"q"');
	});

	it('observe mode never blocks; replays come back as the tool result', async () => {
		const sink = new MemorySink();
		const observing = new Warden({
			mode: 'observe',
			audit: sink,
			contracts: [precondition('*', () => Verdict.fail('would block'))],
		});
		let runs = 0;
		const tools = governTools(observing, {
			t: tool({ description: 't', inputSchema: z.object({}), execute: async () => (runs++, 'ran') }),
		});
		await generateText({
			model: new MockLanguageModelV3({ doGenerate: [toolCall('a', 't', {}), text('ok')] }),
			tools,
			prompt: 'x',
			stopWhen: stepCountIs(3),
		});
		expect(runs).toBe(1);
		expect(sink.events[0]?.action).toBe('call_would_deny');

		const replaying = governTools(new Warden({ contracts: [repeatGuard()] }), {
			t: tool({ description: 't', inputSchema: z.object({}), execute: async () => (runs++, 'same') }),
		});
		const model = new MockLanguageModelV3({
			doGenerate: [toolCall('1', 't', {}), toolCall('2', 't', {}), toolCall('3', 't', {}), text('ok')],
		});
		await generateText({ model, tools: replaying, prompt: 'x', stopWhen: stepCountIs(6) });
		expect(runs).toBe(3); // the third identical call was replayed
		expect(JSON.stringify(model.doGenerateCalls[3]?.prompt)).toContain('same');
	});

	it('streaming tools keep streaming, and complete the call when the stream ends', async () => {
		const sink = new MemorySink();
		const tools = governTools(new Warden({ audit: sink }), {
			progress: tool({
				description: 'progress',
				inputSchema: z.object({}),
				async *execute() {
					yield { status: 'started' };
					yield { status: 'done', value: 42 };
				},
			}),
		});
		const chunks: unknown[] = [];
		for await (const chunk of tools.progress.execute?.(
			{},
			{ toolCallId: 's1', messages: [] },
		) as AsyncIterable<unknown>)
			chunks.push(chunk);
		expect(chunks).toEqual([{ status: 'started' }, { status: 'done', value: 42 }]);
		expect(sink.events.map((e) => e.action)).toEqual(['call_allowed', 'call_executed']);
		expect(sink.events[1]?.resultSummary).toBe('{"status":"done","value":42}');
	});

	it('a failing tool is audited and its error propagates to the SDK', async () => {
		const sink = new MemorySink();
		const boom = new Error('upstream down');
		const tools = governTools(new Warden({ audit: sink }), {
			t: tool({
				description: 't',
				inputSchema: z.object({}),
				execute: async (): Promise<string> => Promise.reject(boom),
			}),
		});
		await expect(tools.t.execute?.({}, { toolCallId: 'f1', messages: [] })).rejects.toBe(boom);
		expect(sink.events.map((e) => e.action)).toEqual(['call_allowed', 'call_failed']);
	});
});
