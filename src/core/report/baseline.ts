/**
 * The run the report measures "delta vs baseline" against. With the folder's config and git
 * checkout at hand this is the analysis module's findBaseline (merge-base aware, explained), and
 * when its rules find none, the latest clean run of the reference branch, as in the Metrics view;
 * without them (a bare store: tests, exports) the newest clean run of the reference branch.
 */
import { findBaseline } from '../analysis';
import type { BuildWithValues } from '../store/api';
import type { ReportSource } from './backend';

export interface ReportBaseline {
  /** The baseline run with its values, or null when there is none. */
  run: BuildWithValues | null;
  referenceBranch: string;
  /** One sentence: which run, and why that one. */
  explanation: string;
  /** The rules found no run: this is the reference branch's latest clean run (as in the Metrics view). */
  fallback?: boolean;
}

export async function reportBaseline(source: ReportSource, referenceBranch: string, headBranch: string): Promise<ReportBaseline> {
  const { store, cwd, config } = source;
  const withGit = cwd !== undefined && config !== undefined;
  if (withGit) {
    const found = await findBaseline({ cwd, store, config, headBranch });
    if (found) {
      const runs = await store.builds({ commitSha: found.build.commitSha, limit: 1000 });
      return { run: runs.find((r) => r.build.id === found.build.id) ?? null, referenceBranch: found.referenceBranch, explanation: found.explanation };
    }
  }
  // Without git, and when the rules find none: the reference branch's newest clean run. The
  // latter is what the Metrics view and the status bar compare with then (extension/analysis/
  // folderAnalysis.ts): on the reference branch's first measured commit, its own clean run,
  // which uncommitted edits are measured against.
  const [latest] = await store.builds({ branch: referenceBranch, dirty: false, limit: 1 });
  if (!latest) return { run: null, referenceBranch, explanation: `no clean run of ${referenceBranch} to compare with yet` };
  if (!withGit) return { run: latest, referenceBranch, explanation: `the newest clean run of ${referenceBranch}` };
  const why = headBranch === referenceBranch ? `no earlier commit of ${referenceBranch} has a clean run (Measure History… records some)` : 'the baseline rules found none';
  return { run: latest, referenceBranch, explanation: `the latest clean run of ${referenceBranch}, because ${why}`, fallback: true };
}
