import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { dirname, relative, resolve } from 'node:path';

/**
 * The layers of `src/`, lowest first. A module may import its own layer and the layers below it, never one above:
 * the folder tree then reads as the flow of a call (envelope → decisions → … → pipeline → warden → adapters).
 * An entry is a folder or file under `src/` (the most specific entry wins); entries in one group are peers.
 */
const LAYERS = [
	[
		'errors/ToolWardenError.ts',
		'errors/ConfigError.ts',
		'errors/StorageUnavailableError.ts',
		'errors/SessionStateLostError.ts',
		'errors/InvalidArgs.ts',
	],
	['_internal'],
	['envelope'],
	['decisions'],
	['errors'],
	['redaction'],
	['audit'],
	['storage'],
	['report'],
	['contracts', 'hooks'],
	['tools'],
	['guards'],
	['pipeline'],
	['approvals'],
	['warden'],
	['redis'],
	['adapters'],
	['index.ts', 'extend.ts'],
	// The CLI is an application of the public API: it imports the package's entry point like any user.
	['cli'],
];

const SRC = resolve(import.meta.dirname, 'src');

/** The layer index of a file under src/ (undefined outside src/ or in no layer). */
function layerOf(file) {
	const path = relative(SRC, file).split('\\').join('/');
	if (path.startsWith('..')) return undefined;
	let best;
	LAYERS.forEach((group, index) => {
		for (const entry of group) {
			if ((path === entry || path.startsWith(`${entry}/`)) && (best === undefined || entry.length > best.length))
				best = { entry, index };
		}
	});
	return best;
}

const layers = {
	rules: {
		'imports-point-down': {
			meta: {
				type: 'problem',
				schema: [],
				messages: {
					up: '{{from}} (layer {{fromIndex}}) must not import {{to}} (layer {{toIndex}}): imports point down the layer list in eslint.config.js.',
				},
			},
			create(context) {
				const from = layerOf(context.filename);
				if (from === undefined) return {};
				const check = (node) => {
					const spec = node.source?.value;
					if (typeof spec !== 'string' || !spec.startsWith('.')) return;
					const to = layerOf(resolve(dirname(context.filename), spec.replace(/\.js$/, '.ts')));
					if (to === undefined || to.index <= from.index) return;
					context.report({
						node: node.source,
						messageId: 'up',
						data: { from: from.entry, fromIndex: from.index, to: to.entry, toIndex: to.index },
					});
				};
				return {
					ImportDeclaration: check,
					ExportNamedDeclaration: check,
					ExportAllDeclaration: check,
					ImportExpression: check,
				};
			},
		},
	},
};

export default tseslint.config(
	{
		ignores: [
			'dist/',
			'docs/api/',
			'node_modules/',
			'coverage/',
			'examples/mcp-gateway/',
			'.type-deps/',
			'scripts/compat/',
		],
	},
	js.configs.recommended,
	...tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: {
			parserOptions: {
				projectService: { allowDefaultProject: ['eslint.config.js'] },
				tsconfigRootDir: import.meta.dirname,
			},
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
			],
		},
	},
	{
		// The config is plain JavaScript: type-aware rules have no types to check here.
		files: ['eslint.config.js'],
		...tseslint.configs.disableTypeChecked,
	},
	{
		files: ['src/**/*.ts'],
		plugins: { layers },
		rules: { 'layers/imports-point-down': 'error' },
	},
	{
		// Example tools are in-memory stand-ins for I/O: async without awaiting anything.
		files: ['examples/**/*.ts'],
		rules: { '@typescript-eslint/require-await': 'off' },
	},
	{
		// Tests exercise bad input on purpose (wrong types, throwing callbacks, look-alike objects).
		files: ['test/**/*.ts'],
		rules: {
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/require-await': 'off',
			'@typescript-eslint/only-throw-error': 'off',
			'@typescript-eslint/no-extraneous-class': 'off',
			'@typescript-eslint/no-unsafe-function-type': 'off',
			'@typescript-eslint/unbound-method': 'off',
			'@typescript-eslint/no-implied-eval': 'off',
		},
	},
);
