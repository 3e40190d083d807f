// Worker-thread bootstrap: registers tsx in this thread (hooks do not cross threads), then loads the
// TypeScript module named in workerData.entry. See ts-worker.ts.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
