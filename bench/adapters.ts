import type * as AiSdkAdapter from '../src/adapters/ai-sdk/index.js';
import type * as LangchainAdapter from '../src/adapters/langchain/index.js';
import type * as McpAdapter from '../src/adapters/mcp/index.js';
import type * as OpenAiAgentsAdapter from '../src/adapters/openai-agents/index.js';
import { measure, row } from './measure.js';
import { lib } from './lib.js';

/** Issue #6: what each adapter adds to a framework tool call (no contracts, no sink: adapter + governance). */
export async function benchAdapters(): Promise<void> {
	console.log('\n== framework adapters (issue #6) ==');
	const { Warden } = lib;
	const { z } = await import('zod');
	const load = async <T>(sub: string) =>
		(await import(new URL(`../dist/adapters/${sub}/index.js`, import.meta.url).href)) as T;
	const warden = () =>
		new Warden({
			limits: { maxAttempts: Infinity, maxToolCalls: Infinity },
			tools: { lookup: { sideEffect: 'read' } },
		});
	const options = { batches: 15, perBatch: 5_000, warmup: 10_000 };
	const report = (
		name: string,
		bare: { medianNs: number },
		governed: { name: string; medianNs: number; p90Ns: number },
	) => console.log(`${row(governed, bare.medianNs)}  [${name}]`);

	// Vercel AI SDK: calling a tool's execute as generateText does.
	const { tool } = await import('ai');
	const { governTools } = await load<typeof AiSdkAdapter>('ai-sdk');
	const aiTools = {
		lookup: tool({
			description: 'lookup',
			inputSchema: z.object({ id: z.number() }),
			execute: ({ id }) => Promise.resolve(id),
		}),
	};
	const aiGoverned = governTools(warden(), aiTools);
	const execOptions = { toolCallId: 'c', messages: [] };
	const aiBare = await measure(
		'ai-sdk execute, bare',
		() => Promise.resolve(aiTools.lookup.execute?.({ id: 1 }, execOptions)),
		options,
	);
	console.log(row(aiBare));
	report(
		'ai-sdk',
		aiBare,
		await measure(
			'ai-sdk execute, governed',
			() => Promise.resolve(aiGoverned.lookup.execute?.({ id: 1 }, execOptions)),
			options,
		),
	);

	// OpenAI Agents SDK: a function tool's invoke, as the runner calls it.
	const agents = await import('@openai/agents-core');
	const { governTool: governAgentsTool } = await load<typeof OpenAiAgentsAdapter>('openai-agents');
	const agentsTool = agents.tool({
		name: 'lookup',
		description: 'lookup',
		parameters: z.object({ id: z.number() }),
		execute: ({ id }) => Promise.resolve(id),
	});
	const agentsGoverned = governAgentsTool(warden(), agentsTool);
	const runContext = new agents.RunContext();
	const agentsBare = await measure(
		'openai-agents invoke, bare',
		() => agentsTool.invoke(runContext, '{"id":1}'),
		options,
	);
	console.log(row(agentsBare));
	report(
		'openai-agents',
		agentsBare,
		await measure('openai-agents invoke, governed', () => agentsGoverned.invoke(runContext, '{"id":1}'), options),
	);

	// LangChain.js: a tool's invoke (governTool; the agent middleware wraps the same call).
	const { tool: lcTool } = await import('@langchain/core/tools');
	const { governTool: governLcTool } = await load<typeof LangchainAdapter>('langchain');
	const lc = lcTool(({ id }: { id: number }) => Promise.resolve(String(id)), {
		name: 'lookup',
		description: 'lookup',
		schema: z.object({ id: z.number() }),
	});
	const lcGoverned = governLcTool(warden(), lc);
	const lcBare = await measure('langchain invoke, bare', () => lc.invoke({ id: 1 }), options);
	console.log(row(lcBare));
	report('langchain', lcBare, await measure('langchain invoke, governed', () => lcGoverned.invoke({ id: 1 }), options));

	// MCP: a tools/call round trip through a real client and server over the in-memory transport.
	const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
	const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
	const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
	const { governMcpServer } = await load<typeof McpAdapter>('mcp');
	const connect = async (governed: boolean) => {
		const server = new McpServer({ name: 'b', version: '1' });
		server.registerTool('lookup', { inputSchema: { id: z.number() } }, ({ id }) => ({
			content: [{ type: 'text', text: String(id) }],
		}));
		if (governed) governMcpServer(warden(), server);
		const [a, b] = InMemoryTransport.createLinkedPair();
		await server.connect(b);
		const client = new Client({ name: 'bench', version: '1' });
		await client.connect(a);
		return client;
	};
	const mcpBareClient = await connect(false);
	const mcpGovernedClient = await connect(true);
	const mcpOptions = { batches: 15, perBatch: 2_000, warmup: 4_000 };
	const mcpBare = await measure(
		'mcp tools/call, bare',
		() => mcpBareClient.callTool({ name: 'lookup', arguments: { id: 1 } }),
		mcpOptions,
	);
	console.log(row(mcpBare));
	report(
		'mcp',
		mcpBare,
		await measure(
			'mcp tools/call, governed',
			() => mcpGovernedClient.callTool({ name: 'lookup', arguments: { id: 1 } }),
			mcpOptions,
		),
	);
	await mcpBareClient.close();
	await mcpGovernedClient.close();
}
