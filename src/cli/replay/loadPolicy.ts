import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, oneLine } from '../CliError.js';
import type { WardenOptions } from '../../index.js';

/**
 * Loads a policy module, as the `toolwarden-mcp` gateway does: its default export is a `WardenOptions` object or a
 * function returning one (sync or async).
 *
 * @throws CliError when the module is missing, throws while loading, has no default export, or its function throws
 */
export async function loadPolicy(path: string, cwd: string): Promise<WardenOptions> {
	const file = resolve(cwd, path);
	if (
		!(await stat(file).then(
			(info) => info.isFile(),
			() => false,
		))
	)
		throw new CliError(`--policy ${path}: no such file.`);
	let module: { default?: unknown };
	try {
		module = (await import(pathToFileURL(file).href)) as { default?: unknown };
	} catch (error) {
		throw new CliError(`--policy ${path}: the module threw while loading: ${oneLine(error)}`, { cause: error });
	}
	let exported = module.default;
	if (exported === undefined)
		throw new CliError(
			`--policy ${path}: no default export; export default the WardenOptions (or a function returning them).`,
		);
	if (typeof exported === 'function') {
		try {
			exported = await (exported as () => unknown)();
		} catch (error) {
			throw new CliError(`--policy ${path}: the default export threw: ${oneLine(error)}`, { cause: error });
		}
	}
	if (typeof exported !== 'object' || exported === null || Array.isArray(exported))
		throw new CliError(
			`--policy ${path}: the default export must be WardenOptions (an object) or a function returning them; ` +
				`got ${exported === null ? 'null' : typeof exported}.`,
		);
	return exported;
}
