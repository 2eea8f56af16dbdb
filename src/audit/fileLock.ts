import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConfigError } from '../errors/ConfigError.js';

/** What a lock file says about its holder. */
interface LockOwner {
	readonly pid: number;
	readonly host: string;
	/** The process's start time in clock ticks since boot (Linux `/proc/<pid>/stat`), to tell a recycled pid apart. */
	readonly started: string | null;
	readonly since: string;
}

// Lock files this process holds, so a second sink in the same process is refused, and a lock file naming our own pid
// but not in this set is known to be left by an earlier process with that pid. Global (like OpenTelemetry's
// registries) so that two copies of the package in one process share it.
const REGISTRY = Symbol.for('toolwarden.audit.heldLocks.v1');
const held = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Set<string>()) as Set<string>;

/**
 * One live writer per audit file: `<path>.lock` holds the writer's pid, host and start time. A second writer (another
 * sink in this process, or another process) gets a `ConfigError` naming the holder; a lock whose process is gone is
 * taken over. Synchronous, because a sink's constructor must fail at once.
 */
export class FileLock {
	readonly path: string;
	#released = false;

	private constructor(path: string) {
		this.path = path;
	}

	/**
	 * Takes the lock of `file` (an absolute path).
	 * @throws ConfigError naming the live holder; the file system's error when the lock file cannot be created at all
	 */
	static acquire(file: string): FileLock {
		const lockPath = `${file}.lock`;
		if (held.has(lockPath))
			throw new ConfigError(
				`Another JsonlFileSink in this process (pid ${process.pid}) already writes ${file}. ` +
					'Use one sink per file, or a file per worker.',
			);
		const me: LockOwner = {
			pid: process.pid,
			host: hostname(),
			started: startTime(process.pid),
			since: new Date().toISOString(),
		};
		for (let attempt = 0; attempt < 3; attempt++) {
			if (tryCreate(lockPath, me)) {
				held.add(lockPath);
				return new FileLock(lockPath);
			}
			const owner = readOwner(lockPath);
			if (owner !== undefined && isAlive(owner)) {
				throw new ConfigError(
					`${file} is being written by another process: pid ${owner.pid} on ${owner.host} ` +
						`(since ${owner.since}), per ${lockPath}. ` +
						'One writer per file: give each worker its own file, or stop the other writer.',
				);
			}
			// The holder is gone (or the lock is unreadable, e.g. torn by a crash): take it over. A racing writer that
			// takes it first makes our exclusive create fail, and the next round names it.
			try {
				unlinkSync(lockPath);
			} catch {
				// Someone else removed it first; retry the exclusive create.
			}
		}
		throw new ConfigError(`Cannot take the lock ${lockPath}: other writers keep racing for it.`);
	}

	/** Releases the lock (once), if the lock file is still ours. */
	release(): void {
		if (this.#released) return;
		this.#released = true;
		held.delete(this.path);
		const owner = readOwner(this.path);
		if (owner?.pid === process.pid && owner.host === hostname()) {
			try {
				unlinkSync(this.path);
			} catch {
				// Already gone: nothing to release.
			}
		}
	}
}

function tryCreate(lockPath: string, me: LockOwner): boolean {
	let fd: number;
	try {
		fd = openSync(lockPath, 'wx', 0o644);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
	try {
		writeSync(fd, `${JSON.stringify(me)}\n`);
	} finally {
		closeSync(fd);
	}
	return true;
}

function readOwner(lockPath: string): LockOwner | undefined {
	try {
		const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
		const { pid, host } = owner;
		// A pid of 0 or below would signal a process group: such a lock is unreadable, hence stale.
		if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof host !== 'string') return undefined;
		return { pid, host, started: owner.started ?? null, since: String(owner.since) };
	} catch {
		return undefined;
	}
}

function isAlive(owner: LockOwner): boolean {
	// Another host's process cannot be checked from here: assume it lives, and say so in the error.
	if (owner.host !== hostname()) return true;
	// Our own pid, but not a lock this process took (acquire checked that): left by an earlier process that had our
	// pid, e.g. before a container restart.
	if (owner.pid === process.pid) return false;
	try {
		process.kill(owner.pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	// The pid is in use; on Linux, a different start time means it was recycled by an unrelated process.
	const started = startTime(owner.pid);
	return owner.started === null || started === null || started === owner.started;
}

/** Field 22 of `/proc/<pid>/stat` (start time since boot), or null where there is no procfs. */
function startTime(pid: number): string | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may contain spaces and parentheses: count fields after its closing parenthesis.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}
