import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Locks the public surface of every entry point: adding, removing or renaming an export fails here, so a change to
// what users can import is always deliberate (update the list, the docs and the changelog together).
const root = resolve(import.meta.dirname, '../..');

const ENTRY_POINTS: Record<string, { file: string; values: string[]; types: string[] }> = {
	toolwarden: {
		file: 'src/index.ts',
		values: [
			'AUDIT_SCHEMA_VERSION',
			'ApprovalConflictError',
			'ApprovalRequired',
			'Approvals',
			'AuditAction',
			'ConfigError',
			'ConsoleSink',
			'GENESIS_HASH',
			'HookDecision',
			'InvalidArgs',
			'JsonlFileSink',
			'MemoryApprovalStore',
			'MemorySink',
			'MemoryStorage',
			'RedactionPolicy',
			'SessionStateLostError',
			'StorageUnavailableError',
			'ToolCallDenied',
			'ToolWardenError',
			'Verdict',
			'Warden',
			'afterHook',
			'approvalDigest',
			'beforeHook',
			'canonicalJson',
			'canonicalize',
			'circuitBreaker',
			'classifyBash',
			'classifyError',
			'costBudget',
			'createEnvelope',
			'denialStreak',
			'denyDestructiveCommands',
			'denySensitiveReads',
			'formatReport',
			'groupAuditFiles',
			'idempotencyKey',
			'isVerdict',
			'jitterGuard',
			'overlapCoefficient',
			'postcondition',
			'precondition',
			'queryTokens',
			'repeatGuard',
			'requireApproval',
			'sequenceGuard',
			'sessionContract',
			'sideEffectLedger',
			'tool',
			'verifyAuditLog',
		],
		types: [
			'ApprovalAnswer',
			'ApprovalFilter',
			'ApprovalHandler',
			'ApprovalInfo',
			'ApprovalOptions',
			'ApprovalRequest',
			'ApprovalStatus',
			'ApprovalStore',
			'AuditErrorHandler',
			'AuditEvent',
			'AuditFileSet',
			'AuditLogVerification',
			'AuditSink',
			'AuditStats',
			'CallOptions',
			'CallParts',
			'ChainLink',
			'CircuitBreakerOptions',
			'ConsoleSinkOptions',
			'Contract',
			'ContractOptions',
			'ContractRecord',
			'ContractType',
			'CostBudgetOptions',
			'CustomRedactionRule',
			'DecisionSource',
			'DenialRecord',
			'DenialStreakOptions',
			'DenyDestructiveCommandsOptions',
			'DenySensitiveReadsOptions',
			'DestructivePattern',
			'EnvelopeOptions',
			'ErrorClass',
			'FailOptions',
			'FsyncPolicy',
			'GovernedCall',
			'GuardOptions',
			'HashChainOption',
			'HoldOptions',
			'Hook',
			'HookOptions',
			'HookOutcome',
			'HookRecord',
			'JitterGuardOptions',
			'JsonlFileSinkOptions',
			'JsonlSinkStats',
			'LimitOptions',
			'MemorySinkOptions',
			'MemoryStorageOptions',
			'MethodDecorator',
			'Mode',
			'PostDecision',
			'PostconditionCheck',
			'PreDecision',
			'PreconditionCheck',
			'Principal',
			'RedactionOptions',
			'RepeatGuardOptions',
			'RequireApprovalOptions',
			'ResolvedHold',
			'RunReport',
			'SequenceGuardOptions',
			'SessionCheck',
			'SessionView',
			'SideEffect',
			'SideEffectLedgerOptions',
			'StorageBackend',
			'TamperKind',
			'TokenPrices',
			'ToolEnvelope',
			'ToolMethod',
			'ToolOptions',
			'ToolSelector',
			'ToolSpec',
			'Usage',
			'VerifyOptions',
			'WardenOptions',
		],
	},
	'toolwarden/extend': {
		file: 'src/extend.ts',
		values: ['GENESIS_HASH', 'canonicalJson'],
		types: [
			'ApprovalClaim',
			'ApprovalFilter',
			'ApprovalRead',
			'ApprovalRequest',
			'ApprovalResolution',
			'ApprovalStatus',
			'ApprovalStore',
			'AuditEvent',
			'AuditSink',
			'Awaitable',
			'CallOutcome',
			'ChainKey',
			'ChainLink',
			'ExecutionLimits',
			'KeyBound',
			'OutcomeInfo',
			'Reservation',
			'ResolveResult',
			'SessionCounters',
			'SessionTotals',
			'StorageBackend',
			'Update',
		],
	},
	'toolwarden/redis': {
		file: 'src/redis/index.ts',
		values: ['RedisStorage'],
		types: ['RedisStorageOptions'],
	},
	'toolwarden/ai-sdk': {
		file: 'src/adapters/ai-sdk/index.ts',
		values: ['governTools'],
		types: ['AdapterOptions', 'Denial', 'ExecutableTool'],
	},
	'toolwarden/openai-agents': {
		file: 'src/adapters/openai-agents/index.ts',
		values: ['governTool', 'governTools'],
		types: ['AdapterOptions', 'AgentsTool', 'Denial'],
	},
	'toolwarden/langchain': {
		file: 'src/adapters/langchain/index.ts',
		values: ['governTool', 'wardenMiddleware'],
		types: ['AdapterOptions', 'Denial', 'WardenHITLRequest', 'WardenMiddlewareOptions'],
	},
	'toolwarden/mcp': {
		file: 'src/adapters/mcp/index.ts',
		values: ['deniedResult', 'governMcpServer', 'startGateway'],
		types: ['AdapterOptions', 'Denial', 'Gateway', 'GatewayExit', 'GatewayOptions', 'GovernableMcpServer'],
	},
	'toolwarden/claude-agent-sdk': {
		file: 'src/adapters/claude-agent-sdk/index.ts',
		values: ['wardenHooks'],
		types: [
			'CanUseTool',
			'HookCallback',
			'HookMatcher',
			'HookOutput',
			'PermissionDecision',
			'PermissionResult',
			'ToolHookInput',
			'WardenHooks',
			'WardenHooksOptions',
		],
	},
};

/** The names a module's source exports, values and types apart (from its explicit export lists). */
function exportedNames(file: string): { values: string[]; types: string[] } {
	const text = readFileSync(resolve(root, file), 'utf8')
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/\/\/.*$/gm, '');
	const values: string[] = [];
	const types: string[] = [];
	for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
		for (const raw of (m[2] ?? '').split(',')) {
			const part = raw.trim();
			if (part === '') continue;
			const isType = m[1] !== undefined || part.startsWith('type ');
			const name =
				part
					.replace(/^type\s+/, '')
					.split(/\s+as\s+/)
					.pop()
					?.trim() ?? '';
			(isType ? types : values).push(name);
		}
	}
	for (const m of text.matchAll(
		/export\s+(?:declare\s+)?(?:async\s+)?(function|class|const|let|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g,
	)) {
		(m[1] === 'interface' || m[1] === 'type' ? types : values).push(m[2] ?? '');
	}
	if (/export\s+\*/.test(text)) values.push('*');
	return { values: values.sort(), types: types.sort() };
}

describe('the public surface', () => {
	for (const [entry, expected] of Object.entries(ENTRY_POINTS)) {
		it(`${entry} exports exactly the listed names`, async () => {
			expect(exportedNames(expected.file)).toEqual({ values: expected.values, types: expected.types });
			const module = (await import(resolve(root, expected.file))) as Record<string, unknown>;
			expect(Object.keys(module).sort()).toEqual(expected.values);
		});
	}

	it('every entry point is in package.json exports', () => {
		const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
			exports: Record<string, unknown>;
		};
		const subpaths = Object.keys(manifest.exports).filter((key) => key !== './package.json');
		expect(subpaths.map((key) => (key === '.' ? 'toolwarden' : `toolwarden/${key.slice(2)}`)).sort()).toEqual(
			Object.keys(ENTRY_POINTS).sort(),
		);
	});
});
