/** A real git repository with a store beside it, and runs of one `size` metric recorded on its commits (report tests). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store';
import type { StoreApi } from '../../../src/core/store/api';

export interface SizeRepo {
  dir: string;
  store: StoreApi;
  git(...args: string[]): string;
  /** Commits a new file named `name`; returns the commit's sha. */
  commit(name: string): string;
  /** Records a run of `size` on a commit; returns the run's id. */
  record(commitSha: string, branch: string, size: number, options: { hoursAgo: number; dirty?: boolean }): Promise<number>;
  remove(): Promise<void>;
}

export async function sizeRepo(prefix: string): Promise<SizeRepo> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const store = await openStore(path.join(dir, 'tidemark.db'));
  return {
    dir,
    store,
    git,
    commit(name) {
      fs.writeFileSync(path.join(dir, name), name);
      git('add', name);
      git('commit', '-qm', name);
      return git('rev-parse', 'HEAD');
    },
    async record(commitSha, branch, size, { hoursAgo, dirty = false }) {
      const { build } = await store.recordBuild({
        build: { commitSha, branch, runId: `${branch}-${size}`, event: dirty ? 'save' : 'ci', timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(), dirty },
        definitions: [{ id: 'size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better' }],
        results: [{ metric: 'size', status: 'ok', value: size, durationMs: 1 }],
      });
      return build.id;
    },
    async remove() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
