/**
 * Stands in for `@openai/agents` (the SDK's umbrella package, whose `openai` dependency needs Node 22): the same API
 * from `@openai/agents-core`, with tracing off and a default model that answers from a script, so a snippet's
 * `run(agent, ...)` works offline. Scripts are queued with {@link scriptModel}.
 */
import { setDefaultModelProvider, setTracingDisabled, type Model } from '@openai/agents-core';
import { ScriptedAgentsModel } from '../../../examples/support/scriptedAgentsModel.js';

export * from '@openai/agents-core';

let next: ScriptedAgentsModel = new ScriptedAgentsModel([]);
/** The outputs the next agents' model gives, in order. */
export function scriptModel(outputs: ConstructorParameters<typeof ScriptedAgentsModel>[0]): void {
	next = new ScriptedAgentsModel(outputs);
}
setTracingDisabled(true);
setDefaultModelProvider({ getModel: (): Model => next });

export { assistantText, functionCall } from '../../../examples/support/scriptedAgentsModel.js';
