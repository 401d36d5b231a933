/**
 * Which metrics a saved file triggers. Pure (no vscode import).
 */
import { compileGlobs } from '../../core/glob';
import type { TidemarkConfig } from '../../core/types';

/** Never trigger runs: git internals, the CLI's store, and the config (it reloads instead). */
const IGNORED = compileGlobs(['.git/**', '**/.git/**', '.tidemark/**', 'tidemark.json']);

/**
 * onSave globs run in the extension host on every save: matched in linear time (core/glob.ts,
 * never a backtracking regex), compiled once per config. The config schema already rejected
 * globs the matcher cannot run; one that slips through matches nothing.
 */
const compiled = new WeakMap<readonly string[], (path: string) => boolean>();
function onSaveMatcher(globs: readonly string[]): (path: string) => boolean {
  let matcher = compiled.get(globs);
  if (!matcher) {
    try {
      matcher = compileGlobs(globs);
    } catch {
      matcher = () => false;
    }
    compiled.set(globs, matcher);
  }
  return matcher;
}

/**
 * @param relativePath the saved file's path relative to the workspace folder, with `/` separators.
 */
export function metricsForSave(config: TidemarkConfig, relativePath: string): string[] {
  if (relativePath === '' || relativePath.startsWith('../') || relativePath === '..' || relativePath.startsWith('/')) return [];
  if (IGNORED(relativePath)) return [];
  const matched: string[] = [];
  for (const [id, metric] of Object.entries(config.metrics)) {
    if (metric.onSave === true) matched.push(id);
    else if (Array.isArray(metric.onSave) && metric.onSave.length > 0 && onSaveMatcher(metric.onSave)(relativePath)) matched.push(id);
  }
  return matched;
}
