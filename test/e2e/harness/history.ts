/**
 * The sample workspace with a real history: after each of its commits `tidemark collect` (the
 * built CLI, dist/cli.js) records that commit's metrics into the folder's own store
 * (.tidemark/tidemark.db, which the extension reads), so the editor opens on runs of both branches.
 * With `budget`, bundle-size has a 5% budget that the feature branch breaks.
 *
 *   const ws = await makeHistoryWorkspace(dir, { checkout: FEATURE_BRANCH, budget: true });
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { folderStorePath } from '../../../src/core/store/location';
import { makeSampleWorkspace, type SampleCommit, type SampleWorkspace } from '../../fixtures/makeSampleWorkspace';
import { repoRoot } from './paths';

export interface HistoryWorkspace extends SampleWorkspace {
  /** The store the CLI wrote and the extension reads. */
  store: string;
  recordedRuns: number;
}

export interface HistoryOptions {
  checkout?: string;
  budget?: boolean;
  /** Called with a line per recorded run (the demo prints them). */
  log?: (line: string) => void;
}

/** Records one commit's metrics with the CLI into `store`. */
function collect(commit: SampleCommit, workspace: string, store: string): void {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'collect', '--cwd', workspace, '--db', store], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tidemark collect failed on ${commit.branch} ${commit.sha.slice(0, 8)} (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

export async function makeHistoryWorkspace(dir: string, options: HistoryOptions = {}): Promise<HistoryWorkspace> {
  // The CLI makes .tidemark/ (with its .gitignore) on the first collect, after the first commit.
  const store = folderStorePath(dir);
  let recordedRuns = 0;
  const workspace = await makeSampleWorkspace(dir, {
    checkout: options.checkout,
    budget: options.budget,
    onCommit: (commit) => {
      collect(commit, dir, store);
      recordedRuns++;
      options.log?.(`  recorded ${commit.branch} ${commit.sha.slice(0, 8)} ${commit.subject}`);
    },
  });
  return { ...workspace, store, recordedRuns };
}
