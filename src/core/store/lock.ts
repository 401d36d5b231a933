/**
 * A cross-process lock file (`X.db.lock`) held around journal appends, catch-up and snapshots
 * so the CLI and the extension can write one store at once. Created with O_EXCL; it names its
 * owner by host, boot id, PID namespace, pid and process start time, and the holder renews
 * its modification time every second (a lease) while it holds it.
 *
 * Whether the owner is gone:
 * - same host, boot and PID namespace: the pid must be alive AND have the recorded start time
 *   (a recycled pid, e.g. PID 1 of a new container, is not the owner);
 * - same host, another boot: gone (the machine restarted);
 * - another host or PID namespace (containers sharing a volume, a network share): the pid
 *   means nothing here, so only the lease decides: gone when not renewed for LEASE_MS;
 * - a lock from an older Tidemark ({pid, acquiredAt}): gone when the pid is dead or its
 *   process started after the lock was taken.
 *
 * A waiter waits as long as the owner is alive and renewing (a long import, a slow snapshot):
 * `timeoutMs` only counts time in which the lock shows no sign of life, so a measured run is
 * not thrown away because someone else holds the lock for a minute.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

interface LockOwner {
  pid: number;
  acquiredAt: string;
  host?: string;
  bootId?: string | null;
  pidNs?: string | null;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat field 22). */
  start?: string | null;
  /** The owner renews the file's mtime every HEARTBEAT_MS while it holds the lock. */
  lease?: boolean;
}

/** How often a holder renews its lease. */
export const HEARTBEAT_MS = 1000;
/** A holder whose lease has not been renewed this long is making no progress. */
const PROGRESS_MS = 5000;
/** An owner we cannot check by pid (other host or PID namespace) is gone after this long without renewal. */
export const LEASE_MS = 30_000;

export class StoreLockedError extends Error {
  override name = 'StoreLockedError';
  readonly code = 'ELOCKED';
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Start time (ticks since boot) of a process as this /proc sees it, or null. */
function startTicks(pid: number | 'self'): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function pidNamespace(): string | null {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

let selfIdentity: Omit<LockOwner, 'acquiredAt'> | undefined;
function self(): Omit<LockOwner, 'acquiredAt'> {
  selfIdentity ??= {
    pid: process.pid,
    host: os.hostname(),
    bootId: readText('/proc/sys/kernel/random/boot_id'),
    pidNs: pidNamespace(),
    start: startTicks('self'),
    lease: true,
  };
  return selfIdentity;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When a local process started (epoch ms), from /proc; null where there is no /proc. */
function processStartedAt(pid: number): number | null {
  const ticks = startTicks(pid);
  const procStat = readText('/proc/stat');
  const btime = procStat ? /^btime (\d+)$/m.exec(procStat)?.[1] : undefined;
  if (ticks === null || btime === undefined) return null;
  // USER_HZ is 100 on every Linux architecture Node runs on.
  return Number(btime) * 1000 + Number(ticks) * 10;
}

export type OwnerState = 'alive' | 'gone' | 'unknown';

/** What can be said about a lock's owner from this process (see the module comment). */
export function ownerState(owner: LockOwner): OwnerState {
  const me = self();
  if (owner.host === undefined) {
    // An older Tidemark's lock: pid only.
    if (!processAlive(owner.pid)) return 'gone';
    const started = processStartedAt(owner.pid);
    const acquired = Date.parse(owner.acquiredAt);
    return started !== null && Number.isFinite(acquired) && started > acquired + 2000 ? 'gone' : 'alive';
  }
  if (owner.host !== me.host) return 'unknown';
  if (owner.bootId && me.bootId && owner.bootId !== me.bootId) return 'gone';
  if (!owner.pidNs || !me.pidNs || owner.pidNs !== me.pidNs) return 'unknown';
  if (!processAlive(owner.pid)) return 'gone';
  const start = startTicks(owner.pid);
  return owner.start && start && owner.start !== start ? 'gone' : 'alive';
}

function readOwner(file: string): { text: string; owner: LockOwner | null; mtimeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return { text, owner: Number.isInteger(owner.pid) ? owner : null, mtimeMs };
  } catch {
    return { text, owner: null, mtimeMs };
  }
}

/** A lock file that could not be parsed is only stale once it is old: its writer may be mid-write. */
const UNREADABLE_STALE_MS = 2000;

export class FileLock {
  private held = false;
  private text = '';
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    private readonly timeoutMs: number,
  ) {}

  private tryCreate(): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    this.text = JSON.stringify({ ...self(), acquiredAt: new Date().toISOString() } satisfies LockOwner);
    try {
      fs.writeSync(fd, this.text);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }

  /** True when the lock on disk is stale (its owner is gone); judged from `seen`. */
  private isStale(seen: NonNullable<ReturnType<typeof readOwner>>): boolean {
    const age = Date.now() - seen.mtimeMs;
    if (!seen.owner) return age >= UNREADABLE_STALE_MS;
    const state = ownerState(seen.owner);
    if (state === 'gone') return true;
    if (state === 'unknown') return seen.owner.lease === true ? age > LEASE_MS : false;
    return false;
  }

  /**
   * Removes a stale lock by renaming it away, then checks that what was moved is the stale lock
   * that was seen: if another process took over in between, its live lock is linked back.
   */
  private breakIfStale(seen: ReturnType<typeof readOwner>): void {
    if (!seen || !this.isStale(seen)) return;
    const aside = `${this.file}.stale-${process.pid}-${Date.now()}`;
    try {
      fs.renameSync(this.file, aside);
    } catch {
      return;
    }
    try {
      if (fs.readFileSync(aside, 'utf8') !== seen.text) {
        try {
          fs.linkSync(aside, this.file);
        } catch {
          // Someone created a new lock meanwhile; theirs stands.
        }
      }
    } finally {
      fs.rmSync(aside, { force: true });
    }
  }

  private take(): void {
    this.held = true;
    // The lease: renewed while the event loop runs; a holder blocked longer than PROGRESS_MS
    // only makes waiters count their timeout, it is not taken over while its pid is alive.
    this.heartbeat = setInterval(() => this.renew(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private renew(): void {
    try {
      if (fs.readFileSync(this.file, 'utf8') !== this.text) return;
      const now = new Date();
      fs.utimesSync(this.file, now, now);
    } catch {
      // Gone or unreadable: the next acquire sorts it out.
    }
  }

  async acquire(): Promise<void> {
    if (this.held) throw new Error('store lock is already held by this store');
    let deadline = Date.now() + this.timeoutMs;
    let wait = 1;
    for (;;) {
      if (this.tryCreate()) return this.take();
      const seen = readOwner(this.file);
      this.breakIfStale(seen);
      if (this.tryCreate()) return this.take();
      // Waiting is fine while the owner shows signs of life: its lease is being renewed.
      if (seen?.owner?.lease && Date.now() - seen.mtimeMs < PROGRESS_MS) deadline = Math.max(deadline, Date.now() + this.timeoutMs);
      if (Date.now() > deadline) {
        const owner = readOwner(this.file)?.owner;
        const who = owner ? `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ''} since ${owner.acquiredAt}` : 'another process';
        throw new StoreLockedError(
          `the store is locked (${this.file}) by ${who}, which has shown no progress for ${this.timeoutMs < 1000 ? `${this.timeoutMs} ms` : `${Math.round(this.timeoutMs / 1000)} s`}. ` +
            `If that process is stuck, stop it; if no Tidemark is running on any machine sharing this folder, delete ${this.file}.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 50);
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    // Only our own lock: if it was (wrongly) taken over, the new owner's file stays.
    if (readText(this.file) === this.text) fs.rmSync(this.file, { force: true });
  }
}
