import type { RenderRequest, RenderWorkerAnswer, RenderWorkerData, RenderWorkerRequest } from '../jobs/render-worker.js';
import { WorkerHost } from '../jobs/worker-host.js';
import type { Logger } from '../logger.js';

export interface RenderedDiagram {
  png: Buffer;
  /** Place name and week, then the week's totals, in the place's language (HTML: the name is escaped). */
  caption: string;
  renderMs: number;
}

export interface DiagramRendererOptions {
  databasePath: string;
  logger: Logger;
  /** Called with each render's duration (seconds), for the metrics. */
  onRendered?: (seconds: number) => void;
}

interface Pending {
  resolve: (diagram: RenderedDiagram) => void;
  reject: (error: Error) => void;
}

/**
 * The main thread's side of the render worker (jobs/render-worker.ts): `render()` hands a request
 * to the one long-lived worker (started on the first request, and again after it died) and
 * resolves with the PNG it sends back. Requests made in the same turn go to the worker as one
 * message.
 */
export class DiagramRenderer {
  private readonly worker: WorkerHost<RenderWorkerData, RenderWorkerRequest, RenderWorkerAnswer>;
  private readonly pending = new Map<number, Pending>();
  private outgoing: RenderRequest[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private stopped = false;

  constructor(private readonly options: DiagramRendererOptions) {
    this.worker = new WorkerHost({
      job: 'render-worker',
      data: { databasePath: options.databasePath },
      logger: options.logger,
      isAnswer: isRenderAnswer,
      onAnswer: (answer) => this.settle(answer),
      onExit: () => this.failPending(new Error('the render worker stopped')),
    });
  }

  /** Renders one place's week as it is at `now`. */
  render(request: Omit<RenderRequest, 'id'>, signal?: AbortSignal): Promise<RenderedDiagram> {
    if (this.stopped) return Promise.reject(new Error('the renderer is stopped'));
    signal?.throwIfAborted();
    const id = this.nextId++;
    return new Promise<RenderedDiagram>((resolve, reject) => {
      const onAbort = () => {
        // The worker still draws it; the answer is dropped.
        this.pending.delete(id);
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
    await this.worker.stop();
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
      await this.worker.send({ type: 'render', requests });
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      for (const request of requests) this.takePending(request.id)?.reject(reason);
    }
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
    return pending;
  }

  private failPending(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) pending.reject(error);
  }
}

function isRenderAnswer(message: unknown): message is RenderWorkerAnswer {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return (type === 'rendered' || type === 'render-failed') && typeof (message as { id?: unknown }).id === 'number';
}
