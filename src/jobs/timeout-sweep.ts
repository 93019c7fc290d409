import { sweepPlans } from '../places/place-store.js';
import type { DatabaseTarget } from '../db/read-only.js';
import type { Logger } from '../logger.js';
import type { SweepMessage, SweepWorkerData } from './sweep-worker.js';
import { WorkerHost } from './worker-host.js';

export interface TimeoutSweepOptions {
  database: DatabaseTarget;
  logger: Logger;
  /** Places whose deadline passed, for the main thread to re-check and mark OFF. */
  onExpired: (ids: number[]) => void;
  sweepMaxSleepMs?: number;
}

const RESTART_AFTER_MS = 1_000;
/** It holds a few hundred ids at most: a small heap keeps its isolate small. */
const SWEEP_WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 };

/**
 * The timeout sweep in its long-lived worker thread (sweep-worker.ts). If the worker dies it is
 * started again after a second, so detection never silently stops.
 */
export class TimeoutSweep {
  private readonly worker: WorkerHost<SweepWorkerData, never, SweepMessage>;
  private stopping = false;

  constructor(options: TimeoutSweepOptions) {
    this.worker = new WorkerHost({
      job: 'sweep-worker',
      // The locations owner's expiry queries, compiled here: the worker only prepares them.
      data: { database: options.database, maxSleepMs: options.sweepMaxSleepMs ?? 500, plans: sweepPlans },
      logger: options.logger,
      resourceLimits: SWEEP_WORKER_LIMITS,
      isAnswer: isSweepMessage,
      onAnswer: (message) => {
        if (message.type === 'expired') options.onExpired(message.ids);
        else options.logger.error({ error: message.error }, 'the sweep cannot read the database; it tries again every second (logged once until the error changes)');
      },
      onExit: () => {
        options.logger.warn('the sweep worker stopped; starting it again in 1 s');
        setTimeout(() => {
          if (!this.stopping) this.worker.start().catch((error: unknown) => options.logger.error({ err: error }, 'the sweep worker did not start again'));
        }, RESTART_AFTER_MS).unref();
      },
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.stop();
  }
}

function isSweepMessage(message: unknown): message is SweepMessage {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return type === 'expired' || type === 'error';
}
