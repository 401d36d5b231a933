/**
 * One Tidemark run from start to finish: read the git context, run the metrics, record the
 * build. Shared by the CLI and the extension so both record runs the same way.
 */
import { randomUUID } from 'node:crypto';
import { runMetrics, selectMetrics, type RunMetricsOptions } from './collect';
import { gitContext } from './git';
import type { MetricDefinitionInput, StoreApi } from './store/api';
import type { BuildRecord, MetricResult, RunEvent, TidemarkConfig } from './types';

export interface CollectAndRecordOptions extends Omit<RunMetricsOptions, 'config' | 'cwd'> {
  cwd: string;
  config: TidemarkConfig;
  /** A promise lets the caller open the store while git runs (the CLI does); it is awaited before any metric runs. */
  store: StoreApi | Promise<StoreApi>;
  event: RunEvent;
  /** Recorded branch; absent = from git (see gitContext). */
  branch?: string;
  /** Recorded time of the run (ISO); absent = now. Backfill records the commit's committer time. */
  timestamp?: string;
}

export interface CollectAndRecordOutcome {
  build: BuildRecord;
  results: MetricResult[];
  /** Results the store refused (e.g. a metric whose type changed since first recorded). */
  rejected: { metric: string; message: string }[];
}

/** Store definitions for the configured metrics, in config order. */
export function definitionsFromConfig(config: TidemarkConfig): MetricDefinitionInput[] {
  return Object.entries(config.metrics).map(([id, m]) => ({
    id,
    type: m.type,
    unit: m.type === 'label' ? null : (m.unit ?? null),
    description: m.description ?? null,
    direction: m.type === 'label' ? null : (m.direction ?? null),
    name: m.name ?? null,
  }));
}

/**
 * Runs the metrics and records one build. A cancelled run records nothing: a half-measured
 * build would look like a regression in every metric that did not finish. Cancellation
 * rejects with the signal's reason (an AbortError by default).
 */
export async function collectAndRecord(options: CollectAndRecordOptions): Promise<CollectAndRecordOutcome> {
  const { store, event, branch, timestamp: givenTime, ...runOptions } = options;
  // Fail on unknown ids before anything runs.
  const ids = new Set(selectMetrics(options.config, options.only));
  const timestamp = givenTime ?? new Date().toISOString();
  const git = await gitContext(options.cwd, { branch, env: options.env });
  // A store that cannot open fails the run before any command runs.
  const opened = await store;
  const results = await runMetrics(runOptions);
  options.signal?.throwIfAborted();
  const { build, rejected } = await opened.recordBuild({
    build: { commitSha: git.commitSha, branch: git.branch, dirty: git.dirty, runId: randomUUID(), event, timestamp },
    definitions: definitionsFromConfig(options.config).filter((d) => ids.has(d.id)),
    results,
  });
  return { build, results, rejected };
}
