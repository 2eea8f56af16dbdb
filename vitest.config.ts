import { defineConfig } from 'vitest/config';

// Vite's esbuild transform reads the nearest tsconfig.json per file: test/legacy/ has its own with
// experimentalDecorators, everything else compiles TC39 standard decorators.
export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
