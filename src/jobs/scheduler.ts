import Bree from 'bree';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import type { SweepMessage } from './sweep-worker.js';

const runningFromTypeScript = import.meta.url.endsWith('.ts');

/**
 * Where a job's code is: the compiled file next to this one in dist/, or in development the .ts
 * file loaded through the tsx entry (see tsx-worker-entry.mjs).
 */
export function jobPath(name: string): { path: string; workerData: Record<string, unknown> } {
  if (!runningFromTypeScript) return { path: fileURLToPath(new URL(`./${name}.js`, import.meta.url)), workerData: {} };
  return {
    path: fileURLToPath(new URL('./tsx-worker-entry.mjs', import.meta.url)),
    workerData: { typescriptEntry: new URL(`./${name}.ts`, import.meta.url).href },
  };
}

/** Heap limits of the sweep worker's isolate (Node's defaults would let its young generation grow to 48 MB). */
const SWEEP_WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 };

export interface SchedulerOptions {
  databasePath: string;
  logger: Logger;
  onExpired: (ids: number[]) => void;
  sweepMaxSleepMs?: number;
}

/**
 * The background jobs (Bree worker threads). The sweep is one long-lived worker; if it dies it is
 * started again after a second, so detection never silently stops.
 */
export class Scheduler {
  private readonly bree: Bree;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    const sweep = jobPath('sweep-worker');
    this.bree = new Bree({
      root: false,
      doRootCheck: false,
      logger: breeLogger(options.logger),
      jobs: [
        {
          name: 'sweep',
          path: sweep.path,
          worker: {
            // It holds a few hundred ids at most: a small heap keeps its isolate small.
            resourceLimits: SWEEP_WORKER_LIMITS,
            workerData: { ...sweep.workerData, databasePath: options.databasePath, maxSleepMs: options.sweepMaxSleepMs ?? 500 },
          },
        },
      ],
      workerMessageHandler: ({ name, message }) => {
        if (name === 'sweep' && isSweepMessage(message)) options.onExpired(message.ids);
      },
      errorHandler: (error, { name }) => {
        options.logger.error({ err: error, job: name }, 'background job failed');
      },
    });
    this.bree.on('worker deleted', (name: string) => {
      if (name !== 'sweep' || this.stopping) return;
      options.logger.warn('the sweep worker stopped; starting it again in 1 s');
      setTimeout(() => {
        if (!this.stopping) void this.bree.run('sweep');
      }, 1000).unref();
    });
  }

  async start(): Promise<void> {
    await this.bree.run('sweep');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.bree.stop();
  }
}

function isSweepMessage(message: unknown): message is SweepMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'expired';
}

function breeLogger(logger: Logger) {
  return {
    info: (message: unknown) => logger.debug({ job: String(message) }, 'job'),
    warn: (message: unknown) => logger.warn({ job: String(message) }, 'job warning'),
    error: (message: unknown) => logger.error({ err: message }, 'job error'),
  };
}
