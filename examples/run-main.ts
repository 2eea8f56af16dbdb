import { pathToFileURL } from 'node:url';

/** Runs an example's `main()` when the file is executed directly (`npx tsx examples/x.ts`), not when imported by a test. */
export function runIfMain(moduleUrl: string, main: () => Promise<unknown>): void {
	const entry = process.argv[1];
	if (entry !== undefined && pathToFileURL(entry).href === moduleUrl) {
		main().catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
	}
}
