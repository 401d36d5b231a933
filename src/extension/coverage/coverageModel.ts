/**
 * The coverage gutter's state, per workspace folder: whether it is on, which coverage metric's
 * report it shows, and that report's lines (read once, dropped when a run is recorded or the
 * config changes). Reading goes through core (confined to the folder, size-limited).
 */
import { promises as fs } from 'node:fs';
import { hasLineCoverage, readLineCoverage, type FileLines } from '../../core/collect/collectors/coverage/lineCoverage';
import type { TidemarkConfig } from '../../core/types';

export type FolderLines =
  | { kind: 'lines'; metric: string; files: Map<string, FileLines> }
  | { kind: 'error'; metric: string; message: string };

/** The coverage metrics of a config whose reports have lines, in config order. */
export function lineCoverageMetrics(config: TidemarkConfig | undefined): string[] {
  return Object.entries(config?.metrics ?? {}).filter(([, m]) => m.type === 'numeric' && hasLineCoverage(m.command)).map(([id]) => id);
}

export class CoverageModel {
  enabled = false;
  /** Folder URI -> the metric the user chose (else the first line-coverage metric). */
  private readonly chosen = new Map<string, string>();
  /** Folder URI -> its lines, being read or read. */
  private readonly cache = new Map<string, Promise<FolderLines>>();

  choose(folder: string, metric: string): void {
    if (this.chosen.get(folder) !== metric) this.cache.delete(folder);
    this.chosen.set(folder, metric);
  }

  metricOf(folder: string, config: TidemarkConfig | undefined): string | undefined {
    const metrics = lineCoverageMetrics(config);
    const picked = this.chosen.get(folder);
    return picked && metrics.includes(picked) ? picked : metrics[0];
  }

  invalidate(folder?: string): void {
    if (folder === undefined) this.cache.clear();
    else this.cache.delete(folder);
  }

  /** The folder's lines, read on first use after an invalidation; undefined without a coverage metric. */
  lines(folder: string, cwd: string, config: TidemarkConfig | undefined): Promise<FolderLines> | undefined {
    const metric = this.metricOf(folder, config);
    if (!metric || !config) return undefined;
    let entry = this.cache.get(folder);
    if (!entry) {
      const command = config.metrics[metric].command;
      entry = readLineCoverage(command, cwd, AbortSignal.timeout(30_000)).then(
        (files): FolderLines => ({ kind: 'lines', metric, files }),
        (error: unknown): FolderLines => ({ kind: 'error', metric, message: error instanceof Error ? error.message : String(error) }),
      );
      this.cache.set(folder, entry);
    }
    return entry;
  }
}

/** A file's lines in a report, whether the report names it by this path or its real path. */
export async function linesOfFile(files: Map<string, FileLines>, fsPath: string): Promise<FileLines | undefined> {
  const direct = files.get(fsPath);
  if (direct) return direct;
  const real = await fs.realpath(fsPath).catch(() => undefined);
  return real ? files.get(real) : undefined;
}
