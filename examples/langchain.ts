/**
 * LangChain.js: wardenMiddleware() governs every tool call of a createAgent agent; fakeModel() scripts the model.
 * Run: npx tsx examples/langchain.ts
 */
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import { denyDestructiveCommands, Warden } from 'toolwarden';
import { wardenMiddleware } from 'toolwarden/langchain';
import { z } from 'zod';
import { runIfMain } from './run-main.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const warden = new Warden({ contracts: [denyDestructiveCommands()] });
	const bash = tool(async ({ command }: { command: string }) => `(ran) ${command}`, {
		name: 'bash',
		description: 'Run a shell command',
		schema: z.object({ command: z.string() }),
	});
	const model = fakeModel()
		.respondWithTools([{ name: 'bash', args: { command: 'rm -rf / --no-preserve-root' }, id: 't1' }])
		.respondWithTools([{ name: 'bash', args: { command: 'rm -rf build/' }, id: 't2' }])
		.respond(new AIMessage('Cleaned the build folder.'));
	const agent = createAgent({ model, tools: [bash], middleware: [wardenMiddleware(warden)] });
	const { messages } = await agent.invoke({ messages: [new HumanMessage('Clean up the disk.')] });
	for (const m of messages) if (ToolMessage.isInstance(m)) log(`tool ${m.name} [${m.status ?? 'success'}] → ${m.text}`);
	log(`model: ${messages.at(-1)?.text ?? ''}`);
}

runIfMain(import.meta.url, main);
