import { renderPlans as powerEventPlans } from '../history/power-event-store.js';
import type { DatabaseTarget } from '../db/read-only.js';
import type { RenderRequest, RenderWorkerAnswer, RenderWorkerData, RenderWorkerRequest } from './render-worker.js';
import { renderPlans as placePlans } from '../places/place-store.js';
import { WorkerHost } from './worker-host.js';
import type { RenderedReportImage, ReportRenderRequest } from '../reports/report-render.js';
import type { Logger } from '../logger.js';
import type { RenderedDiagram } from '../diagram/diagram-delivery.js';
import type { DiagramPlan } from '../schedules/plan.js';

export interface DiagramRendererOptions {
  database: DatabaseTarget;
  logger: Logger;
  /** Called with each render's duration (seconds), for the metrics. */
  onRendered?: (seconds: number) => void;
  /**
   * The outage schedule to draw under a place's week (ScheduleService.diagramPlan), asked on the
   * main thread, which holds the parsed copies: the worker gets it with the request.
   */
  planOf?: (placeId: number, now: number) => DiagramPlan | undefined;
  /**
   * The worker stops after this long without a request and starts again with the next one
   * (0.3–0.6 s): ECharts and Skia hold some 50 MB that an idle service does not need.
   */
  idleStopMs?: number;
}

const IDLE_STOP_MS = 60_000;
/** A render allocates fast; a young generation of 12 MB (Node's default lets it reach 48) is plenty. */
const RENDER_WORKER_LIMITS = { maxYoungGenerationSizeMb: 12 };

/** A request waiting for the worker's answer; it knows which answers are its own. */
interface Pending {
  settle: (answer: RenderWorkerAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * The main thread's side of the render worker (render-worker.ts): `render()` (a weekly
 * diagram) and `renderReport()` (a report picture with its caption) hand a request to the one
 * long-lived worker (started on the first request, and again after it died) and resolve with
 * what it sends back. Requests made in the same turn go to the worker as one message per kind.
 */
export class DiagramRenderer {
  private readonly worker: WorkerHost<RenderWorkerData, RenderWorkerRequest, RenderWorkerAnswer>;
  private readonly pending = new Map<number, Pending>();
  private outgoing: RenderRequest[] = [];
  private outgoingReports: ReportRenderRequest[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: DiagramRendererOptions) {
    this.worker = new WorkerHost({
      job: 'render-worker',
      // The owners' queries, compiled here: the worker prepares them on its read-only connection.
      data: { database: options.database, plans: { places: placePlans, powerEvents: powerEventPlans } },
      logger: options.logger,
      isAnswer: isRenderAnswer,
      onAnswer: (answer) => this.settle(answer),
      onExit: () => this.failPending(new Error('the render worker stopped')),
      resourceLimits: RENDER_WORKER_LIMITS,
    });
  }

  /** Whether the worker is running now (it stops when idle). */
  get running(): boolean {
    return this.worker.running;
  }

  /** Renders one place's week as it is at `now` (with its outage schedule, when it follows one). */
  render(request: Omit<RenderRequest, 'id' | 'plan'>, signal?: AbortSignal): Promise<RenderedDiagram> {
    const plan = this.planOf(request.placeId, request.now);
    return this.request(signal, (id) => this.outgoing.push({ ...request, ...(plan ? { plan } : {}), id }), (answer) => {
      if (answer.type === 'rendered') {
        this.options.onRendered?.(answer.renderMs / 1000);
        return { png: Buffer.from(answer.png), caption: answer.caption, renderMs: answer.renderMs };
      }
      if (answer.type === 'render-failed') throw new Error(`rendering failed: ${answer.error}`);
      throw new Error(`the render worker answered a diagram with a ${answer.type}`);
    });
  }

  /** Renders a report of one place (a /stats period or a calendar month) as it is at `now`. */
  renderReport(request: Omit<ReportRenderRequest, 'id'>, signal?: AbortSignal): Promise<RenderedReportImage> {
    return this.request(signal, (id) => this.outgoingReports.push({ ...request, id }), (answer) => {
      if (answer.type === 'report-rendered') {
        this.options.onRendered?.(answer.renderMs / 1000);
        return { png: Buffer.from(answer.png), caption: answer.caption, hasData: answer.hasData, renderMs: answer.renderMs };
      }
      if (answer.type === 'report-failed') throw new Error(`rendering the report failed: ${answer.error}`);
      throw new Error(`the render worker answered a report with a ${answer.type}`);
    });
  }

  /** A failure to work out the plan costs the diagram its strip, not the diagram. */
  private planOf(placeId: number, now: number): DiagramPlan | undefined {
    try {
      return this.options.planOf?.(placeId, now);
    } catch (error) {
      this.options.logger.error({ err: error, placeId }, 'the outage schedule for a diagram could not be worked out; drawing it without');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.outgoing = [];
    this.outgoingReports = [];
    await this.worker.stop();
    this.failPending(new Error('the renderer is stopped'));
  }

  /** Registers a request under a new id, queues it with `enqueue`, and reads its answer with `read`. */
  private request<T>(signal: AbortSignal | undefined, enqueue: (id: number) => void, read: (answer: RenderWorkerAnswer) => T): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('the renderer is stopped'));
    signal?.throwIfAborted();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // The worker still draws it; the answer is dropped.
        this.takePending(id);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('render aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        settle: (answer) => {
          done();
          try {
            resolve(read(answer));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        reject: (error) => (done(), reject(error)),
      });
      enqueue(id);
      this.scheduleFlush();
    });
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
    const live = <R extends { id: number }>(requests: R[]): R[] => requests.filter((request) => this.pending.has(request.id));
    const diagrams = live(this.outgoing);
    const reports = live(this.outgoingReports);
    this.outgoing = [];
    this.outgoingReports = [];
    if (this.stopped) return;
    const messages: [RenderWorkerRequest, number[]][] = [];
    if (diagrams.length > 0) messages.push([{ type: 'render', requests: diagrams }, diagrams.map((request) => request.id)]);
    if (reports.length > 0) messages.push([{ type: 'report', requests: reports }, reports.map((request) => request.id)]);
    for (const [message, ids] of messages) {
      try {
        await this.worker.send(message);
      } catch (error) {
        const reason = error instanceof Error ? error : new Error(String(error));
        for (const id of ids) this.takePending(id)?.reject(reason);
      }
    }
  }

  private settle(answer: RenderWorkerAnswer): void {
    this.takePending(answer.id)?.settle(answer);
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
      if (this.pending.size === 0 && !this.stopped) void this.worker.park();
    }, this.options.idleStopMs ?? IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private failPending(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) pending.reject(error);
  }
}

const ANSWER_TYPES: ReadonlySet<unknown> = new Set<RenderWorkerAnswer['type']>(['rendered', 'render-failed', 'report-rendered', 'report-failed']);

function isRenderAnswer(message: unknown): message is RenderWorkerAnswer {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id } = message as { type?: unknown; id?: unknown };
  return ANSWER_TYPES.has(type) && typeof id === 'number';
}
