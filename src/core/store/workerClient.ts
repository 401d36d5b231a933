/**
 * A StoreApi whose sql.js database lives in a worker thread (see worker.ts): every call is a
 * message, so the caller's thread never runs SQLite. Errors come back with their message.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { silentLogger } from '../types';
import type { StoreApi, WorkerStoreOptions } from './api';
import { deserializeError, STORE_METHODS, type FromWorker, type StoreMethod, type ToWorker, type WorkerStart } from './workerProtocol';

export function openStoreInWorker(storePath: string, options: WorkerStoreOptions = {}): Promise<StoreApi> {
  const { logger = silentLogger, onProblem, workerScript, ...rest } = options;
  const start: WorkerStart = { path: storePath, options: rest };
  const worker = new Worker(workerScript ?? path.join(__dirname, 'storeWorker.js'), { workerData: start });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let ended: Error | null = null;

  return new Promise<StoreApi>((resolveOpen, rejectOpen) => {
    const fail = (err: Error) => {
      ended ??= err;
      rejectOpen(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`store worker failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`store worker for ${storePath} exited (code ${code})`)));
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          resolveOpen(client);
          break;
        case 'open-failed':
          rejectOpen(deserializeError(message.error));
          void worker.terminate();
          break;
        case 'result': {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (message.error) call?.reject(deserializeError(message.error));
          else call?.resolve(message.result);
          break;
        }
        case 'log':
          logger[message.level](message.message);
          break;
        case 'problem':
          onProblem?.(message.problem);
          break;
      }
    });

    const call = (method: StoreMethod, args: unknown[]): Promise<unknown> => {
      if (ended) return Promise.reject(new Error(`store ${storePath} is closed: ${ended.message}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, args } satisfies ToWorker);
      });
    };
    const client = Object.fromEntries(
      STORE_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]),
    ) as unknown as StoreApi;
    client.close = async () => {
      if (ended) return;
      await call('close', []);
      ended = new Error('closed');
      await worker.terminate();
    };
  });
}
