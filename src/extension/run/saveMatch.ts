/**
 * Which metrics a saved file triggers. Pure (no vscode import).
 */
import picomatch from 'picomatch';
import type { TidemarkConfig } from '../../core/types';

/** Never trigger runs: git internals, the CLI's store, and the config (it reloads instead). */
const IGNORED = picomatch(['.git/**', '**/.git/**', '.tidemark/**', 'tidemark.json'], { dot: true });

/**
 * @param relativePath the saved file's path relative to the workspace folder, with `/` separators.
 */
export function metricsForSave(config: TidemarkConfig, relativePath: string): string[] {
  if (relativePath === '' || relativePath.startsWith('../') || relativePath === '..' || relativePath.startsWith('/')) return [];
  if (IGNORED(relativePath)) return [];
  const matched: string[] = [];
  for (const [id, metric] of Object.entries(config.metrics)) {
    if (metric.onSave === true) matched.push(id);
    else if (Array.isArray(metric.onSave) && metric.onSave.length > 0 && picomatch(metric.onSave, { dot: true })(relativePath)) matched.push(id);
  }
  return matched;
}
