import Bree from 'bree';
import type { Logger } from '../logger.js';
import { workerEntry } from '../worker-entry.js';

/**
 * Where a job's code is: the compiled file next to this one in dist/, or in development the .ts
 * file loaded through the tsx entry (see src/worker-entry.ts).
 */
export function jobPath(name: string): { path: string; workerData: Record<string, unknown> } {
  return workerEntry(new URL(`./${name}.js`, import.meta.url));
}

export interface WorkerHostOptions<Data, Answer> {
  /** The job's entry file in src/jobs/, without extension (e.g. 'render-worker'). */
  job: string;
  /** What the worker starts with (its `workerData`; see worker-channel.ts). */
  data: Data;
  logger: Logger;
  /** Recognises the worker's answers; anything else it posts is logged and dropped. */
  isAnswer: (message: unknown) => message is Answer;
  onAnswer: (answer: Answer) => void;
  /** The worker ended while the host was not stopping (it crashed or exited on its own). */
  onExit?: () => void;
  /** Heap limits of the worker's isolate (Node's defaults let a young generation reach 48 MB). */
  resourceLimits?: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number };
}

/**
 * The main thread's side of ONE long-lived Bree worker thread, with a typed channel: `send()` a
 * request (the worker starts on first use), answers arrive at `onAnswer`. Starting a worker costs
 * 0.1–0.5 s, so each job keeps one and feeds it by message (DESIGN §11).
 */
export class WorkerHost<Data extends object, Request, Answer> {
  private readonly bree: Bree;
  private starting: Promise<void> | null = null;
  private stopping = false;
  /** Set while the worker is stopped on purpose to be started again later (see park()). */
  private parking: Promise<void> | null = null;

  constructor(private readonly options: WorkerHostOptions<Data, Answer>) {
    const { job, logger } = options;
    const entry = jobPath(job);
    this.bree = new Bree({
      root: false,
      doRootCheck: false,
      logger: {
        info: (message: unknown) => logger.debug({ job, bree: String(message) }, 'worker'),
        warn: (message: unknown) => logger.warn({ job, bree: String(message) }, 'worker warning'),
        error: (message: unknown) => logger.error({ job, err: message }, 'worker error'),
      },
      jobs: [
        {
          name: job,
          path: entry.path,
          worker: { ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}), workerData: { ...entry.workerData, ...options.data } },
        },
      ],
      workerMessageHandler: ({ message }) => this.receive(message),
      errorHandler: (error) => logger.error({ job, err: error }, 'worker failed'),
    });
    this.bree.on('worker deleted', () => {
      if (!this.stopping && !this.parking) options.onExit?.();
    });
  }

  get running(): boolean {
    return this.bree.workers.has(this.options.job);
  }

  /** Starts the worker unless it runs already; callers at the same time share one start. */
  async start(): Promise<void> {
    if (this.stopping) throw new Error(`the ${this.options.job} is stopped`);
    await this.parking;
    if (this.running) return;
    this.starting ??= this.bree.run(this.options.job).finally(() => (this.starting = null));
    await this.starting;
  }

  /** Hands a request to the worker, starting it first if it is not running. */
  async send(request: Request): Promise<void> {
    await this.start();
    const worker = this.bree.workers.get(this.options.job);
    if (!worker) throw new Error(`the ${this.options.job} did not start`);
    worker.postMessage(request);
  }

  /**
   * Stops the worker for now, to free its memory while it has nothing to do; the next `send()`
   * starts it again. Not reported as an exit.
   */
  async park(): Promise<void> {
    if (this.stopping || this.parking || !this.running) return;
    this.parking = this.bree
      .stop(this.options.job)
      .catch((error: unknown) => this.options.logger.warn({ job: this.options.job, err: error }, 'stopping the idle worker failed'))
      .finally(() => (this.parking = null));
    await this.parking;
  }

  /** Asks the worker to finish (Bree sends it 'cancel') and waits until it has. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.parking;
    await this.starting?.catch(() => undefined);
    await this.bree.stop();
  }

  private receive(message: unknown): void {
    if (this.options.isAnswer(message)) this.options.onAnswer(message);
    else this.options.logger.warn({ job: this.options.job }, 'the worker sent a message of no known kind; dropped');
  }
}
