/** Stands in for `@opentelemetry/sdk-node` (not a dependency here): a NodeSDK that starts nothing. */
export class NodeSDK {
	constructor(_configuration: Record<string, unknown> = {}) {}
	start(): void {}
	async shutdown(): Promise<void> {}
}
