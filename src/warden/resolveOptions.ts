import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import type { AuditSink } from '../audit/AuditSink.js';
import type { Mode } from '../contracts/Contract.js';
import { SIDE_EFFECTS } from '../envelope/toolTraits.js';
import type { ToolSpec } from '../envelope/types.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { Limits } from '../pipeline/GovernancePipeline.js';
import { RedactionPolicy } from '../redaction/RedactionPolicy.js';
import { MemoryStorage } from '../storage/MemoryStorage.js';
import type { StorageBackend } from '../storage/StorageBackend.js';
import { contractsOf, className } from '../tools/bindInstance.js';
import { MODES } from '../contracts/defineContract.js';
import { isContractRule, isHookRule, placeRule, type ContractRule, type HookRule } from '../contracts/rules.js';
import { checkFunction, checkKeys, checkLimit, checkOneOf } from '../_internal/validate.js';
import { WARDEN_OPTION_KEYS, type WardenOptions } from './WardenOptions.js';
import type { ApprovalOptions } from '../decisions/ApprovalRequest.js';
import { resolveApprovalOptions } from '../approvals/resolveApprovalOptions.js';

/** WardenOptions after validation, with defaults applied. */
export interface ResolvedOptions {
	readonly mode: Mode;
	readonly environment: string;
	readonly contracts: readonly ContractRule[];
	readonly hooks: readonly HookRule[];
	readonly limits: Limits;
	readonly tools: Record<string, ToolSpec>;
	readonly sinks: readonly AuditSink[];
	readonly redaction: RedactionPolicy;
	readonly storage: StorageBackend;
	readonly sessionId: string | undefined;
	readonly tracer: Tracer;
	readonly meter: Meter;
	readonly onAuditError: WardenOptions['onAuditError'];
	readonly auditFailMode: 'open' | 'closed';
	readonly approvals: ApprovalOptions;
}

const STORAGE_METHODS = [
	'beginAttempt',
	'reserveExecution',
	'recordOutcome',
	'haltSession',
	'resetSession',
	'totals',
	'update',
	'read',
] as const;

export function resolveOptions(options: WardenOptions): ResolvedOptions {
	checkKeys(options, WARDEN_OPTION_KEYS, 'WardenOptions');
	const { environment, sessionId, storage, tracer, onAuditError } = options;
	if (environment !== undefined && (typeof environment !== 'string' || environment === ''))
		throw new ConfigError('WardenOptions.environment must be a non-empty string.', { path: 'environment' });
	if (sessionId !== undefined && (typeof sessionId !== 'string' || sessionId === ''))
		throw new ConfigError('WardenOptions.sessionId must be a non-empty string.', { path: 'sessionId' });
	if (storage !== undefined) {
		const missing = STORAGE_METHODS.filter(
			(m) => typeof (storage as unknown as Record<string, unknown>)?.[m] !== 'function',
		);
		if (missing.length > 0)
			throw new ConfigError(`WardenOptions.storage is not a StorageBackend: it lacks ${missing.join(', ')}.`, {
				path: 'storage',
			});
	}
	if (tracer !== undefined && typeof (tracer as Partial<Tracer>)?.startActiveSpan !== 'function')
		throw new ConfigError('WardenOptions.tracer must be an OpenTelemetry Tracer.', { path: 'tracer' });
	if (options.meter !== undefined && typeof (options.meter as Partial<Meter> | null)?.createCounter !== 'function')
		throw new ConfigError('WardenOptions.meter must be an OpenTelemetry Meter.', { path: 'meter' });
	if (onAuditError !== undefined) checkFunction(onAuditError, 'WardenOptions.onAuditError');
	const sinks =
		options.audit === undefined
			? []
			: Array.isArray(options.audit)
				? [...(options.audit as AuditSink[])]
				: [options.audit as AuditSink];
	const auditFailMode =
		options.auditFailMode === undefined
			? 'open'
			: checkOneOf(options.auditFailMode, ['open', 'closed'] as const, 'WardenOptions.auditFailMode');
	if (auditFailMode === 'closed' && sinks.length === 0)
		throw new ConfigError("WardenOptions.auditFailMode 'closed' needs at least one audit sink to record calls in.", {
			path: 'auditFailMode',
		});
	return {
		mode: options.mode === undefined ? 'enforce' : checkOneOf(options.mode, MODES, 'WardenOptions.mode'),
		environment: environment ?? 'production',
		contracts: resolveContracts(options.contracts),
		hooks: resolveHooks(options.hooks),
		limits: resolveLimits(options.limits),
		tools: resolveTools(options.tools),
		sinks,
		auditFailMode,
		redaction:
			options.redaction instanceof RedactionPolicy ? options.redaction : new RedactionPolicy(options.redaction ?? {}),
		storage: storage ?? new MemoryStorage(),
		sessionId,
		tracer: tracer ?? trace.getTracer('toolwarden'),
		meter: options.meter ?? metrics.getMeter('toolwarden'),
		onAuditError,
		approvals: resolveApprovalOptions(options.approvals),
	};
}

/** Turns `contracts` entries into rules; an instance contributes its decorated methods. */
function resolveContracts(entries: unknown): ContractRule[] {
	if (entries === undefined) return [];
	if (!Array.isArray(entries))
		throw new ConfigError('WardenOptions.contracts must be an array.', { path: 'contracts' });
	return entries.flatMap((entry: unknown, i): ContractRule[] => {
		if (isContractRule(entry)) return [placeRule(entry, i + 1, 'contract')];
		if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
			const rules = contractsOf(entry);
			if (rules.length > 0) return rules;
			throw new ConfigError(
				`contracts[${i}] (an instance of ${className(entry)}) has no decorated contract methods. Decorate its methods with @precondition, @postcondition or @sessionContract, or pass contracts made by precondition(selector, check).`,
				{ path: `contracts[${i}]` },
			);
		}
		throw new ConfigError(`contracts[${i}] is not a contract (got ${describeEntry(entry)}).`, {
			path: `contracts[${i}]`,
		});
	});
}

/** Says what a wrong `contracts` entry is, and for a class, what to pass instead. */
function describeEntry(entry: unknown): string {
	if (typeof entry !== 'function') return entry === null ? 'null' : typeof entry;
	// A class is the likeliest mistake with decorated contracts: `contracts: [Safety]` for `[new Safety()]`.
	if (/^class\b/.test(Function.prototype.toString.call(entry))) {
		const named = entry.name !== '';
		return `the class${named ? ` ${entry.name}` : ''}; pass an instance instead: contracts: [new ${named ? entry.name : 'MyContracts'}()]`;
	}
	return 'a function; wrap it with precondition(selector, fn) or sessionContract(fn)';
}

function resolveHooks(entries: unknown): HookRule[] {
	if (entries === undefined) return [];
	if (!Array.isArray(entries)) throw new ConfigError('WardenOptions.hooks must be an array.', { path: 'hooks' });
	return entries.map((entry: unknown, i) => {
		if (!isHookRule(entry))
			throw new ConfigError(`hooks[${i}] was not made by beforeHook() or afterHook().`, { path: `hooks[${i}]` });
		return placeRule(entry, i + 1, 'hook');
	});
}

function resolveLimits(limits: unknown): Limits {
	if (limits === undefined) return { maxAttempts: 500, maxToolCalls: 200, maxCallsPerTool: {} };
	const l = checkKeys(limits, ['maxAttempts', 'maxToolCalls', 'maxCallsPerTool'], 'WardenOptions.limits');
	const perTool: Record<string, number> = Object.create(null) as Record<string, number>;
	if (l['maxCallsPerTool'] !== undefined) {
		const entries = l['maxCallsPerTool'];
		if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
			throw new ConfigError('WardenOptions.limits.maxCallsPerTool must be an object of tool name to limit.', {
				path: 'limits.maxCallsPerTool',
			});
		for (const [tool, limit] of Object.entries(entries))
			perTool[tool] = checkLimit(limit, `WardenOptions.limits.maxCallsPerTool.${tool}`);
	}
	return {
		maxAttempts: checkLimit(l['maxAttempts'], 'WardenOptions.limits.maxAttempts', 500),
		maxToolCalls: checkLimit(l['maxToolCalls'], 'WardenOptions.limits.maxToolCalls', 200),
		maxCallsPerTool: perTool,
	};
}

function resolveTools(tools: unknown): Record<string, ToolSpec> {
	const registry: Record<string, ToolSpec> = Object.create(null) as Record<string, ToolSpec>;
	if (tools === undefined) return registry;
	if (typeof tools !== 'object' || tools === null || Array.isArray(tools))
		throw new ConfigError('WardenOptions.tools must be an object of tool name to ToolSpec.', { path: 'tools' });
	for (const [name, spec] of Object.entries(tools)) registry[name] = checkToolSpec(spec, `WardenOptions.tools.${name}`);
	return registry;
}

function checkToolSpec(spec: unknown, where: string): ToolSpec {
	const s = checkKeys(spec, ['sideEffect', 'idempotent', 'shell', 'fileArg'], where);
	if (s['sideEffect'] !== undefined) checkOneOf(s['sideEffect'], SIDE_EFFECTS, `${where}.sideEffect`);
	for (const flag of ['idempotent', 'shell'] as const) {
		if (s[flag] !== undefined && typeof s[flag] !== 'boolean')
			throw new ConfigError(`${where}.${flag} must be a boolean.`, { path: `${where}.${flag}` });
	}
	const fileArg = s['fileArg'];
	if (fileArg === undefined) return Object.freeze({ ...s });
	const names: unknown[] = Array.isArray(fileArg) ? fileArg : [fileArg];
	if (names.length === 0 || names.some((name) => typeof name !== 'string' || name === '')) {
		throw new ConfigError(`${where}.fileArg must be an arg name or a non-empty array of arg names.`, {
			path: `${where}.fileArg`,
		});
	}
	return Object.freeze({
		...s,
		fileArg: typeof fileArg === 'string' ? fileArg : Object.freeze([...(names as string[])]),
	});
}
