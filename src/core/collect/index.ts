/** Collection: running metric commands and reading the git context of a run. */
export { runMetrics, selectMetrics, isCollectorCommand, type RunMetricsOptions } from './runner';
export { gitContext, defaultBranch, mergeBase, isGitRepo } from './git';
export { OUTPUT_LIMIT_BYTES, KILL_GRACE_MS } from './process';
