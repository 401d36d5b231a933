/** Collection: running metric commands (the git context of a run is in src/core/git). */
export { runMetrics, selectMetrics, isCollectorCommand, type RunMetricsOptions } from './runner';
export { OUTPUT_LIMIT_BYTES, KILL_GRACE_MS } from './process';
