import Bree from 'bree';
import type { Logger } from '../logger.js';
import type { RenderRequest, RenderWorkerAnswer, RenderWorkerRequest } from './render-worker.js';
import { jobPath } from './scheduler.js';

export interface RenderedDiagram {
  png: Buffer;
  /** Place name and week, then the week's totals, in the place's language. */
  caption: string;
  renderMs: number;
}

export interface DiagramRendererOptions {
  databasePath: string;
  logger: Logger;
  /** Called with each render's duration (seconds), for the metrics. */
  onRendered?: (seconds: number) => void;
  /**
   * The worker stops after this long without a request and starts again with the next one
   * (0.3–0.6 s): ECharts and Skia hold some 50 MB that an idle service does not need.
   */
  idleStopMs?: number;
}

interface Pending {
  resolve: (diagram: RenderedDiagram) => void;
  reject: (error: Error) => void;
}

const JOB = 'render';
const IDLE_STOP_MS = 60_000;
/** A render allocates fast; a young generation of 12 MB (Node's default lets it reach 48) is plenty. */
const RENDER_WORKER_LIMITS = { maxYoungGenerationSizeMb: 12 };

/**
 * The main thread's side of the render worker: `render()` hands a request to the one long-lived
 * Bree worker (started on the first request, and again after it died) and resolves with the PNG
 * it sends back. Requests made in the same turn go to the worker as one message.
 */
export class DiagramRenderer {
  private readonly bree: Bree;
  private readonly pending = new Map<number, Pending>();
  private outgoing: RenderRequest[] = [];
  private flushScheduled = false;
  private starting: Promise<void> | null = null;
  private nextId = 1;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The worker is being stopped for being idle; the next request waits for that, then starts it again. */
  private parking: Promise<void> | null = null;

  constructor(private readonly options: DiagramRendererOptions) {
    const job = jobPath('render-worker');
    this.bree = new Bree({
      root: false,
      doRootCheck: false,
      logger: {
        info: () => undefined,
        warn: (message: unknown) => options.logger.warn({ job: String(message) }, 'render worker warning'),
        error: (message: unknown) => options.logger.error({ err: message }, 'render worker error'),
      },
      jobs: [{ name: JOB, path: job.path, worker: { resourceLimits: RENDER_WORKER_LIMITS, workerData: { ...job.workerData, databasePath: options.databasePath } } }],
      workerMessageHandler: ({ message }) => this.settle(message as RenderWorkerAnswer),
      errorHandler: (error) => options.logger.error({ err: error }, 'render worker failed'),
    });
    this.bree.on('worker deleted', () => {
      if (!this.parking) this.failPending(new Error('the render worker stopped'));
    });
  }

  /** Whether the worker is running now (it stops when idle). */
  get running(): boolean {
    return this.bree.workers.has(JOB);
  }

  /** Renders one place's week as it is at `now`. */
  render(request: Omit<RenderRequest, 'id'>, signal?: AbortSignal): Promise<RenderedDiagram> {
    if (this.stopped) return Promise.reject(new Error('the renderer is stopped'));
    signal?.throwIfAborted();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<RenderedDiagram>((resolve, reject) => {
      const onAbort = () => {
        // The worker still draws it; the answer is dropped.
        this.takePending(id);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('render aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (diagram) => (done(), resolve(diagram)),
        reject: (error) => (done(), reject(error)),
      });
      this.outgoing.push({ ...request, id });
      this.scheduleFlush();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.outgoing = [];
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.parking;
    await this.starting?.catch(() => undefined);
    await this.bree.stop();
    this.failPending(new Error('the renderer is stopped'));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const requests = this.outgoing.filter((request) => this.pending.has(request.id));
    this.outgoing = [];
    if (requests.length === 0 || this.stopped) return;
    try {
      const worker = await this.worker();
      worker.postMessage({ type: 'render', requests } satisfies RenderWorkerRequest);
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      for (const request of requests) this.takePending(request.id)?.reject(reason);
    }
  }

  private async worker(): Promise<NonNullable<ReturnType<Bree['workers']['get']>>> {
    await this.parking;
    if (!this.bree.workers.has(JOB)) {
      this.starting ??= this.bree.run(JOB).finally(() => (this.starting = null));
      await this.starting;
    }
    const worker = this.bree.workers.get(JOB);
    if (!worker) throw new Error('the render worker did not start');
    return worker;
  }

  private settle(answer: RenderWorkerAnswer): void {
    const pending = this.takePending(answer.id);
    if (!pending) return;
    if (answer.type === 'rendered') {
      this.options.onRendered?.(answer.renderMs / 1000);
      pending.resolve({ png: Buffer.from(answer.png), caption: answer.caption, renderMs: answer.renderMs });
    } else {
      pending.reject(new Error(`rendering failed: ${answer.error}`));
    }
  }

  private takePending(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0 && !this.stopped) this.armIdleStop();
    return pending;
  }

  private armIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size > 0 || this.parking || this.stopped || !this.bree.workers.has(JOB)) return;
      this.parking = this.bree
        .stop(JOB)
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'stopping the idle render worker failed'))
        .finally(() => (this.parking = null));
    }, this.options.idleStopMs ?? IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private failPending(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) pending.reject(error);
  }
}
