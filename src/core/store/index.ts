/** The store's entry points: in-process (CLI, tests) or in a worker thread (extension host). */
export * from './api';
export { openStore } from './sqlStore';
export { openStoreInWorker } from './workerClient';
