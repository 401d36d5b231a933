/**
 * Worker thread entry (bundled as dist/storeWorker.js): owns one sql.js store and answers the
 * client's calls by message, so snapshots, exports and big queries never block the host.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../types';
import { openStore } from './sqlStore';
import {
  STORE_METHODS,
  serializeError,
  type FromWorker,
  type ToWorker,
  type WorkerStart,
} from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('storeWorker.js must be started as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

const format = (message: string | Error, args: unknown[]) =>
  [message instanceof Error ? message.message : message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' ');
const logger: Logger = {
  trace: (m, ...a) => post({ type: 'log', level: 'trace', message: format(m, a) }),
  debug: (m, ...a) => post({ type: 'log', level: 'debug', message: format(m, a) }),
  info: (m, ...a) => post({ type: 'log', level: 'info', message: format(m, a) }),
  warn: (m, ...a) => post({ type: 'log', level: 'warn', message: format(m, a) }),
  error: (m, ...a) => post({ type: 'log', level: 'error', message: format(m, a) }),
};

const start = workerData as WorkerStart;
openStore(start.path, { ...start.options, logger, onProblem: (problem) => post({ type: 'problem', problem }) }).then(
  (store) => {
    port.on('message', async ({ id, method, args }: ToWorker) => {
      try {
        if (!STORE_METHODS.includes(method)) throw new Error(`unknown store method "${String(method)}"`);
        const fn = store[method] as (...a: unknown[]) => Promise<unknown>;
        const result = await fn.apply(store, args);
        post({ type: 'result', id, result });
        if (method === 'close') port.close();
      } catch (err) {
        post({ type: 'result', id, error: serializeError(err) });
      }
    });
    post({ type: 'ready' });
  },
  (err: unknown) => {
    post({ type: 'open-failed', error: serializeError(err) });
    port.close();
  },
);
