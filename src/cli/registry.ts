/**
 * Every `tidemark` command: its name and one-line summary (all that `tidemark --help` needs)
 * and a loader for its implementation, so a command loads only what it uses (`tidemark --help`
 * and `tidemark collect` never load the report, the import code or zod's config schema twice).
 *
 * Adding a command: write commands/<name>.ts exporting `command: CliCommand`, then add ONE line
 * here, e.g.  { name: 'sync', summary: 'Push and pull shared history.', load: () => import('./commands/sync') },
 * test/unit/cli/registry.test.ts checks every line's name and summary against what it loads.
 * Keep command files free of work at import time (no store, no git, no schema building).
 */
import type { CliCommand } from './context';

export interface CommandEntry {
  name: string;
  /** One line for `tidemark --help`; equal to the loaded command's summary. */
  summary: string;
  load(): Promise<{ command: CliCommand }>;
}

export const commands: CommandEntry[] = [
  { name: 'init', summary: 'Detect the project and write a tidemark.json of presets that work on the first run.', load: () => import('./commands/init') },
  { name: 'collect', summary: 'Run the configured metrics and record the results as one run.', load: () => import('./commands/collect') },
  { name: 'compare', summary: 'Compare the latest recorded values of two branches or commits.', load: () => import('./commands/compare') },
  { name: 'history', summary: 'Show the recorded values of one metric, oldest first.', load: () => import('./commands/history') },
  { name: 'import', summary: 'Import history from a JSONL file (Unentropy format) or an Unentropy SQLite database; re-importing is harmless.', load: () => import('./commands/import') },
  { name: 'export', summary: 'Export the whole history as JSONL (Unentropy format).', load: () => import('./commands/export') },
  { name: 'verify', summary: 'Check the config file and print every problem with its position.', load: () => import('./commands/verify') },
  { name: 'check', summary: 'Judge the latest run of HEAD against its baseline and thresholds; exit 1 when a "fail" rule is broken.', load: () => import('./commands/check') },
  { name: 'baseline', summary: 'Show the baseline run, or measure it on this machine (--measure) in a temporary git worktree.', load: () => import('./commands/baseline') },
  { name: 'report', summary: 'Write the report (Overview, Trends, Compare) as one self-contained HTML file.', load: () => import('./commands/report') },
  { name: 'summary', summary: 'Runs, events, branches and whether each metric has complete data over a time range.', load: () => import('./commands/summary') },
  { name: 'breakdown', summary: 'Break one metric down by branch (latest value), event (counts) or label (distribution).', load: () => import('./commands/breakdown') },
  { name: 'rollup', summary: 'Show the rollups (pre-aggregated hour/day/week/month buckets) or rebuild them from raw runs.', load: () => import('./commands/rollup') },
  { name: 'compact', summary: 'Apply the retention policy (tidemark.json "retention") and shrink the history file.', load: () => import('./commands/compact') },
  { name: 'stats', summary: "The history database's size and what it holds.", load: () => import('./commands/stats') },
  { name: 'publish', summary: 'Write every clean run not yet shared into git notes; --push sends them to the remote.', load: () => import('./commands/publish') },
  { name: 'pull', summary: "Fetch the team's runs from git notes and add the new ones to the history.", load: () => import('./commands/pull') },
  { name: 'sync', summary: "Publish and pull in one go: write new runs to notes, merge the remote's, push, import.", load: () => import('./commands/sync') },
  { name: 'changes', summary: 'Name the commits where a metric changed level (change points per branch, in commit order).', load: () => import('./commands/changes') },
  { name: 'backfill', summary: 'Measure past commits, each in a temporary git worktree, and record them at their commit time.', load: () => import('./commands/backfill') },
];
