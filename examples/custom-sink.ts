/**
 * A custom audit sink: events arrive already redacted and size-capped; `emit` must not block, so this one batches in
 * memory and ships on `flush()` (called by `warden.flush()` / `warden.close()`).
 * Run: npx tsx examples/custom-sink.ts
 */
import { Warden, type AuditEvent, type AuditSink } from 'toolwarden';
import { runIfMain } from './run-main.js';

class BatchingSink implements AuditSink {
	readonly shipped: AuditEvent[][] = [];
	#batch: AuditEvent[] = [];

	emit(event: AuditEvent): void {
		this.#batch.push(event);
	}

	async flush(): Promise<void> {
		if (this.#batch.length === 0) return;
		const batch = this.#batch;
		this.#batch = [];
		await Promise.resolve(); // stands in for an HTTP POST to a SIEM
		this.shipped.push(batch);
	}
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
	const sink = new BatchingSink();
	const warden = new Warden({ audit: sink });
	await warden.run(
		'http_get',
		{ url: 'https://api.example.com/orders', headers: { authorization: 'Bearer abc.def.ghi123' } },
		() => ({ status: 200 }),
	);
	await warden.run('http_get', { url: 'postgres://svc:hunter2@db.internal/app' }, () => ({ status: 200 }));
	await warden.close();
	const events = sink.shipped.flat();
	log(`shipped ${events.length} events in ${sink.shipped.length} batch(es)`);
	for (const event of events.filter((e) => e.action === 'call_allowed'))
		log(`${event.toolName} ${JSON.stringify(event.toolArgs)}`);
}

runIfMain(import.meta.url, main);
