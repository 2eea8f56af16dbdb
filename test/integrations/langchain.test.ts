import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySink, precondition, repeatGuard, Verdict, Warden } from '../../src/index.js';
import { governTool, wardenMiddleware } from '../../src/adapters/langchain/index.js';

const makeReadFile = (counter: { reads: number }) =>
	tool(async ({ path }: { path: string }) => (counter.reads++, `contents of ${path}`), {
		name: 'read_file',
		description: 'Read a file',
		schema: z.object({ path: z.string() }),
	});
const noDotEnv = () =>
	precondition('read_file', (call) =>
		String(call.args['path']).endsWith('.env')
			? Verdict.fail('Reading .env files is not allowed. Ask the user for the value.')
			: Verdict.pass(),
	);

describe('toolwarden/langchain with a real createAgent', () => {
	it('a denial reaches the model as a ToolMessage, the agent goes on, and the tool-call id is the callId', async () => {
		const sink = new MemorySink();
		const warden = new Warden({ audit: sink, contracts: [noDotEnv()] });
		const counter = { reads: 0 };
		const model = fakeModel()
			.respondWithTools([{ name: 'read_file', args: { path: '.env' }, id: 'call-1' }])
			.respondWithTools([{ name: 'read_file', args: { path: 'README.md' }, id: 'call-2' }])
			.respond(new AIMessage('Done.'));
		const agent = createAgent({ model, tools: [makeReadFile(counter)], middleware: [wardenMiddleware(warden)] });
		const result = await agent.invoke({ messages: [new HumanMessage('read the config')] });
		expect(result.messages.at(-1)?.content).toBe('Done.');
		expect(counter.reads).toBe(1);
		// The model's second request includes the denial as a tool message.
		const second = model.calls[1]?.messages ?? [];
		const denial = second.find((m) => ToolMessage.isInstance(m));
		expect(denial?.content).toBe('Reading .env files is not allowed. Ask the user for the value.');
		expect((denial as ToolMessage).status).toBe('error');
		expect((denial as ToolMessage).tool_call_id).toBe('call-1');
		expect(sink.events.map((e) => [e.callId, e.action])).toEqual([
			['call-1', 'call_denied'],
			['call-2', 'call_allowed'],
			['call-2', 'call_executed'],
		]);
	});

	it('observe mode never blocks; a replay answers with the recorded result', async () => {
		const counter = { reads: 0 };
		const observing = new Warden({ mode: 'observe', contracts: [noDotEnv()] });
		const model = fakeModel()
			.respondWithTools([{ name: 'read_file', args: { path: '.env' }, id: 'o-1' }])
			.respond(new AIMessage('ok'));
		await createAgent({ model, tools: [makeReadFile(counter)], middleware: [wardenMiddleware(observing)] }).invoke({
			messages: [new HumanMessage('x')],
		});
		expect(counter.reads).toBe(1);

		const replaying = new Warden({ contracts: [repeatGuard()] });
		const calls = [1, 2, 3].map((i) => ({ name: 'read_file', args: { path: 'a.txt' }, id: `r-${i}` }));
		const replayModel = fakeModel()
			.respondWithTools([calls[0] as never])
			.respondWithTools([calls[1] as never])
			.respondWithTools([calls[2] as never])
			.respond(new AIMessage('ok'));
		await createAgent({
			model: replayModel,
			tools: [makeReadFile(counter)],
			middleware: [wardenMiddleware(replaying)],
		}).invoke({ messages: [new HumanMessage('x')] });
		expect(counter.reads).toBe(3); // 1 (observe) + 2; the third identical read was replayed
		const replayed = (replayModel.calls[3]?.messages ?? []).filter((m) => ToolMessage.isInstance(m)).at(-1);
		expect(replayed?.content).toBe('contents of a.txt');
	});

	it('governTool governs a tool used outside agents, with the tool-call id as callId', async () => {
		const sink = new MemorySink();
		const counter = { reads: 0 };
		const governed = governTool(new Warden({ audit: sink, contracts: [noDotEnv()] }), makeReadFile(counter));
		expect([governed.name, governed.description]).toEqual(['read_file', 'Read a file']);
		expect(await governed.invoke({ path: 'a.txt' })).toBe('contents of a.txt');
		const message = await governed.invoke({ name: 'read_file', args: { path: '.env' }, id: 'tc-9', type: 'tool_call' });
		expect(ToolMessage.isInstance(message) ? message.content : message).toBe(
			'Reading .env files is not allowed. Ask the user for the value.',
		);
		expect(counter.reads).toBe(1);
		expect(sink.events.at(-1)).toMatchObject({ callId: 'tc-9', action: 'call_denied' });
	});
});
