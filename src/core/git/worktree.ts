/**
 * A commit checked out in a temporary detached `git worktree`, for measuring it without
 * touching the user's working tree, index, HEAD or branches. `dispose()` removes the worktree
 * and its folder and prunes git's record of it, whatever happened (success, failure,
 * cancellation), so `git worktree list` is as before.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../types';
import { silentLogger } from '../types';
import { git } from './run';

export class WorktreeError extends Error {}

export interface TemporaryWorktree {
  /** Absolute folder of the checkout. */
  path: string;
  commitSha: string;
  dispose(): Promise<void>;
}

async function run(cwd: string, args: string[]): Promise<string> {
  const r = await git(cwd, args);
  if (!r.ok) throw new WorktreeError(`git ${args.join(' ')} failed: ${r.stderr.trim() || `exit code ${String(r.code)}`}`);
  return r.stdout;
}

/** Checks `commitSha` (a full sha) out in a new temporary folder; `prefix` names the folder. */
export async function addTemporaryWorktree(cwd: string, commitSha: string, options: { prefix?: string; logger?: Logger } = {}): Promise<TemporaryWorktree> {
  const logger = options.logger ?? silentLogger;
  if (!/^[0-9a-f]{40}$/.test(commitSha)) throw new WorktreeError(`not a full commit sha: "${commitSha}"`);
  const parent = await fs.mkdtemp(path.join(os.tmpdir(), options.prefix ?? 'tidemark-worktree-'));
  const folder = path.join(parent, commitSha.slice(0, 7));
  let added = false;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    if (added) {
      try {
        await run(cwd, ['worktree', 'remove', '--force', '--force', folder]);
      } catch (error) {
        logger.warn(`could not remove the temporary worktree ${folder}: ${(error as Error).message}`);
      }
    }
    await fs.rm(parent, { recursive: true, force: true }).catch((error: Error) => logger.warn(error.message));
    // Also forgets a worktree whose directory vanished half-way (e.g. a failed add).
    await run(cwd, ['worktree', 'prune']).catch((error: Error) => logger.warn(error.message));
  };
  try {
    await run(cwd, ['worktree', 'add', '--detach', folder, commitSha]);
    added = true;
  } catch (error) {
    await dispose();
    throw error;
  }
  return { path: folder, commitSha, dispose };
}
