import type * as Toolwarden from '../src/index.js';

/**
 * The library under benchmark: the tsc-built `dist/` (what users run), typed by the sources. `npm run bench` builds
 * first. Benchmarking the sources through tsx would add esbuild's keepNames helpers to every closure.
 */
export const lib = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof Toolwarden;
