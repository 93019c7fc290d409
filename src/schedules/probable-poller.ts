import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ScheduleFormatError } from './snapshot.js';
import { fetchSource } from './source-fetch.js';
import type { ScheduleSource } from './sources.js';
import type { WeekTemplate } from './week-template.js';
import { parseYasnoProbable, yasnoProbableUrl } from './yasno-probable.js';

const HOUR = 3_600_000;
/** The weekly schedule changes rarely: read every 6 hours. */
export const PROBABLE_POLL_MS = 6 * HOUR;
/** A weekly schedule not read for this long is not shown any more. */
export const PROBABLE_MAX_AGE_MS = 2 * 24 * HOUR;

interface ProbableCopy {
  templates: Record<string, WeekTemplate>;
  fetchedAt: number;
}

/** Where a Yasno source's probable outages are read, and which of its regions and DSOs they are. */
type ProbableTarget = NonNullable<ReturnType<typeof yasnoProbableUrl>>;

/**
 * Yasno's probable outages, a reply of its own next to the planned-outages one: read every six
 * hours for the Yasno sources some place follows, kept in memory (a restart reads it again, one
 * request per source). A failed read keeps the last good copy until it is two days old. GPV files
 * carry their weekly template inside the file, so they need nothing from here.
 */
export class ProbablePoller {
  private readonly copies = new Map<string, ProbableCopy>();
  private readonly attempted = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      sources: readonly ScheduleSource[];
      clock: Clock;
      logger: Logger;
      timeoutMs?: number;
      fetch?: typeof fetch;
      signal?: AbortSignal;
    },
  ) {}

  /** Reads the due ones of these sources (Yasno sources only; others are ignored). */
  async refresh(sourceIds: readonly string[]): Promise<void> {
    const now = this.options.clock.now();
    const due = sourceIds.flatMap((id) => {
      const source = this.options.sources.find((s) => s.id === id);
      const target = source?.format === 'yasno' ? yasnoProbableUrl(source.url) : null;
      return target && now - (this.attempted.get(id) ?? -Infinity) >= PROBABLE_POLL_MS ? [{ id, target }] : [];
    });
    await Promise.all(due.map(({ id, target }) => this.read(id, target)));
  }

  /** The queue's weekly template, when a copy no older than two days has one. */
  template(sourceId: string, queue: string): WeekTemplate | undefined {
    const copy = this.copies.get(sourceId);
    if (!copy || this.options.clock.now() - copy.fetchedAt > PROBABLE_MAX_AGE_MS) return undefined;
    return Object.hasOwn(copy.templates, queue) ? copy.templates[queue] : undefined;
  }

  private read(sourceId: string, target: ProbableTarget): Promise<void> {
    let running = this.inFlight.get(sourceId);
    if (!running) {
      running = this.readNow(sourceId, target).finally(() => this.inFlight.delete(sourceId));
      this.inFlight.set(sourceId, running);
    }
    return running;
  }

  private async readNow(sourceId: string, target: ProbableTarget): Promise<void> {
    const { clock, logger } = this.options;
    this.attempted.set(sourceId, clock.now());
    const outcome = await fetchSource(target.url, null, { timeoutMs: this.options.timeoutMs ?? 20_000, fetch: this.options.fetch, signal: this.options.signal });
    if (outcome.kind !== 'fresh') {
      logger.warn({ source: sourceId, err: outcome.kind === 'failed' ? outcome.error : outcome.kind }, 'The weekly schedule of a source could not be read; keeping the last copy');
      return;
    }
    try {
      const problems: string[] = [];
      const templates = parseYasnoProbable(outcome.body, target.region, target.dso, problems);
      if (problems.length > 0) logger.warn({ source: sourceId, problems: problems.slice(0, 10) }, 'Parts of a weekly schedule were refused rather than guessed');
      this.copies.set(sourceId, { templates, fetchedAt: clock.now() });
    } catch (error) {
      if (!(error instanceof ScheduleFormatError)) throw error;
      logger.warn({ source: sourceId, err: error.message }, 'The weekly schedule of a source is unreadable; keeping the last copy');
    }
  }
}
