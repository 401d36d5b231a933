/**
 * Messages between a store worker (worker.ts) and its client (workerClient.ts).
 */
import type { StoreApi, StoreOptions, StoreProblem } from './api';

export type StoreMethod = keyof StoreApi;

export const STORE_METHODS: readonly StoreMethod[] = [
  'recordBuild',
  'definitions',
  'series',
  'latest',
  'builds',
  'buildsById',
  'resolveRef',
  'compare',
  'partChanges',
  'branches',
  'importJsonl',
  'exportJsonl',
  'clearHistory',
  'compact',
  'stats',
  'rollupSeries',
  'summary',
  'breakdown',
  'applyRetention',
  'rebuildRollups',
  'close',
];

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
