import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread that runs a TypeScript module through tsx, as the CLI does (no build step). The
 * module reads its own input from `workerData.data`.
 */
export function startTsWorker(entry: URL, data: unknown): Worker {
  return new Worker(new URL('./ts-worker-boot.mjs', import.meta.url), { workerData: { entry: entry.href, data } });
}
