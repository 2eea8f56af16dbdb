import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Vite's esbuild transform reads the nearest tsconfig.json per file: test/legacy/ has its own with
// experimentalDecorators, everything else compiles TC39 standard decorators.
export default defineConfig({
	// Examples import 'toolwarden' as users do; in tests that is the source.
	resolve: {
		alias: [
			{ find: /^toolwarden$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
			{ find: /^toolwarden\/redis$/, replacement: fileURLToPath(new URL('./src/redis/index.ts', import.meta.url)) },
			{
				find: /^toolwarden\/(.+)$/,
				replacement: fileURLToPath(new URL('./src/adapters/$1/index.ts', import.meta.url)),
			},
		],
	},
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
