/**
 * Messages between a store worker (worker.ts) and its client (workerClient.ts).
 */
import type { StoreApi, StoreOptions, StoreProblem } from './api';

export type StoreMethod = keyof StoreApi;

/**
 * Every StoreApi method the worker answers. `satisfies` makes the compiler check the list both
 * ways: a method added to StoreApi but not here, or listed here but not in StoreApi, fails tsc.
 */
const WORKER_METHODS = {
  recordBuild: true,
  definitions: true,
  series: true,
  latest: true,
  builds: true,
  buildsById: true,
  resolveRef: true,
  compare: true,
  partChanges: true,
  branches: true,
  importJsonl: true,
  exportJsonl: true,
  clearHistory: true,
  compact: true,
  stats: true,
  rollupSeries: true,
  summary: true,
  breakdown: true,
  applyRetention: true,
  rebuildRollups: true,
  unpublishedRuns: true,
  markPublished: true,
  importShared: true,
  pulledTip: true,
  close: true,
} as const satisfies Record<StoreMethod, true>;

export const STORE_METHODS = Object.keys(WORKER_METHODS) as readonly StoreMethod[];

/** What the worker is started with (functions cannot cross the boundary). */
export interface WorkerStart {
  path: string;
  options: Omit<StoreOptions, 'logger' | 'onProblem'>;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type ToWorker = { id: number; method: StoreMethod; args: unknown[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'open-failed'; error: SerializedError }
  | { type: 'result'; id: number; result?: unknown; error?: SerializedError }
  | { type: 'log'; level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'problem'; problem: StoreProblem };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

export function deserializeError(error: SerializedError): Error {
  const err = new Error(error.message);
  err.name = error.name;
  if (error.stack) err.stack = error.stack;
  return err;
}
