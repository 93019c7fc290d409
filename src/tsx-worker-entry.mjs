// Development and tests only: Bree workers cannot load .ts files directly (ERR_UNKNOWN_FILE_EXTENSION
// on Node 20), so this plain entry registers tsx in the worker and imports the TypeScript job.
// Production runs the compiled job from dist/ and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.typescriptEntry);
