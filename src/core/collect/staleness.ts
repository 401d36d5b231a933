/**
 * Never a value from another commit. Before a metric reads report files, two rules apply
 * (docs/collectors.md, "Stale reports"):
 *  1. Claimed files: every output of a step the metric depends on must exist and be written
 *     during this run (not older than the run's start).
 *  2. Unclaimed files: a report a built-in collector reads that no step of the metric writes
 *     must be newer than the last time HEAD moved to other files (checkout, merge, rebase,
 *     reset, pull: see src/core/git/reflog.ts), unless the metric sets "allowStale".
 * A stale report fails the metric with a message naming the file and how to refresh it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { lastHeadMove, type HeadMove } from '../git/reflog';
import type { MetricConfig, TidemarkConfig } from '../types';
import { splitArgv } from './argv';
import { dependsOnOf } from './steps';

/** Built-in collectors that read report files, and their options that take a value. */
const REPORT_COLLECTORS: Record<string, { values: string[]; files: 'all' | 'first' }> = {
  'coverage-lcov': { values: ['type'], files: 'all' },
  'coverage-cobertura': { values: ['type'], files: 'all' },
  'coverage-clover': { values: ['type'], files: 'all' },
  'coverage-istanbul': { values: ['type'], files: 'all' },
  junit: { values: ['field'], files: 'all' },
  json: { values: [], files: 'first' },
};

/** The report files an `@collect` command reads (relative as written), [] for other commands. */
export function reportFiles(command: string): string[] {
  let argv: string[];
  try {
    argv = splitArgv(command.trimStart());
  } catch {
    return [];
  }
  if (argv[0] !== '@collect') return [];
  const spec = REPORT_COLLECTORS[argv[1] ?? ''];
  if (!spec) return [];
  const files: string[] = [];
  const rest = argv.slice(2);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      files.push(...rest.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      if (!arg.includes('=') && spec.values.includes(arg.slice(2))) i++;
      continue;
    }
    files.push(arg);
  }
  return spec.files === 'first' ? files.slice(0, 1) : files;
}

/** Per-run state: the run's start and (asked once) the last HEAD move. */
export class StalenessCheck {
  private headMove: Promise<HeadMove | null> | undefined;

  constructor(
    private readonly cwd: string,
    private readonly config: TidemarkConfig,
    /** Epoch ms when the run started (before any step). */
    private readonly runStart: number,
  ) {}

  /** Why the metric must not read its reports now, or null. */
  async reason(metric: MetricConfig): Promise<string | null> {
    const claimed = new Map<string, string>();
    for (const id of dependsOnOf(metric)) {
      for (const file of this.config.steps?.[id]?.outputs ?? []) claimed.set(path.resolve(this.cwd, file), id);
    }
    for (const [abs, step] of claimed) {
      const shown = path.relative(this.cwd, abs) || abs;
      const info = await stat(abs).catch(() => null);
      if (!info) return `stale: step "${step}" ran but did not write ${shown}; check the step's command writes that file`;
      // A second of slack for file systems with coarse timestamps.
      if (info.mtimeMs < this.runStart - 1000) {
        return `stale: ${shown} was not rewritten by step "${step}" in this run (last written ${new Date(info.mtimeMs).toISOString()}); check the step's command writes that file`;
      }
    }
    if (metric.allowStale) return null;
    for (const file of reportFiles(metric.command)) {
      const abs = path.resolve(this.cwd, file);
      if (claimed.has(abs)) continue;
      const info = await stat(abs).catch(() => null);
      if (!info) continue; // the collector reports a missing file itself
      this.headMove ??= lastHeadMove(this.cwd);
      const move = await this.headMove;
      if (move && info.mtimeMs < move.time) {
        return (
          `stale: ${file} was written ${new Date(info.mtimeMs).toISOString()}, before HEAD moved to ${move.commitSha.slice(0, 7)} ` +
          `(${move.action}, ${new Date(move.time).toISOString()}), so it describes other files. Regenerate it, or add a step ` +
          `that writes it ("steps" with "outputs", and "dependsOn" on this metric); "allowStale": true reads it anyway`
        );
      }
    }
    return null;
  }
}
