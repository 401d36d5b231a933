/**
 * A cross-process lock file (`X.db.lock`) held briefly around journal appends, catch-up and
 * snapshots so the CLI and the extension can write one store at once. Created with O_EXCL and
 * holding `{pid, acquiredAt}`; a lock whose process is gone (kill -9) is stale and taken over.
 */
import * as fs from 'node:fs';

interface LockOwner {
  pid: number;
  acquiredAt: string;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): { text: string; owner: LockOwner | null } | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return { text, owner: Number.isInteger(owner.pid) ? owner : null };
  } catch {
    return { text, owner: null };
  }
}

/** A lock file that could not be parsed is only stale once it is old: its writer may be mid-write. */
const UNREADABLE_STALE_MS = 2000;

export class FileLock {
  private held = false;

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
    try {
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, acquiredAt: new Date().toISOString() } satisfies LockOwner));
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }

  /**
   * Removes a stale lock by renaming it away, then checks that what was moved is the stale lock
   * that was seen: if another process took over in between, its live lock is linked back.
   */
  private breakIfStale(): void {
    const seen = readOwner(this.file);
    if (!seen) return;
    if (seen.owner) {
      if (processAlive(seen.owner.pid)) return;
    } else {
      let age: number;
      try {
        age = Date.now() - fs.statSync(this.file).mtimeMs;
      } catch {
        return;
      }
      if (age < UNREADABLE_STALE_MS) return;
    }
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

  async acquire(): Promise<void> {
    if (this.held) throw new Error('store lock is already held by this store');
    const deadline = Date.now() + this.timeoutMs;
    let wait = 1;
    for (;;) {
      if (this.tryCreate()) {
        this.held = true;
        return;
      }
      this.breakIfStale();
      if (this.tryCreate()) {
        this.held = true;
        return;
      }
      if (Date.now() > deadline) {
        const owner = readOwner(this.file)?.owner;
        throw new Error(
          `store is locked (${this.file}) by ${owner ? `process ${owner.pid} since ${owner.acquiredAt}` : 'another process'}; gave up after ${this.timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 20);
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    fs.rmSync(this.file, { force: true });
  }
}
