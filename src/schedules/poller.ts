import type { Clock } from '../clock.js';
import { FaultEpisodes } from '../db/storage-faults.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { parseSchedule } from './parse-schedule.js';
import { buildQueuePlan, freshnessRules, sourceStatus, type FetchRecord, type FreshnessRules, type QueuePlan, type SourceCopy, type SourceStatus } from './queue-plan.js';
import type { ScheduleStore, StoredSource } from './schedule-store.js';
import { ScheduleFormatError, type ScheduleSnapshot } from './snapshot.js';
import { fetchSource } from './source-fetch.js';
import type { ScheduleSource } from './sources.js';

export interface SchedulePollerOptions {
  sources: readonly ScheduleSource[];
  store: ScheduleStore;
  clock: Clock;
  logger: Logger;
  /** The configured time zone: schedules speak in its wall-clock hours. */
  zone: string;
  pollMs: number;
  /** How long one request may take (default 20 s). */
  timeoutMs?: number;
  /** How often the loop looks for sources due (default: a minute, or pollMs if shorter). */
  tickMs?: number;
  fetch?: typeof fetch;
  metrics?: Metrics;
  /** Called after a source's content changed (new plan to compare, posts to make). */
  onUpdate?: (sourceId: string) => void;
  /**
   * Awaited just before new content replaces a copy, while `plan()` still answers from the old
   * one: a new copy may drop days that have passed, and what they planned is history to record
   * first (planned outages that did not happen). A failure is logged; the new copy is kept anyway.
   */
  beforeChange?: (sourceId: string) => Promise<void>;
}

export type PollResult = { sourceId: string } & (
  | { result: 'updated' | 'unchanged' | 'not_modified' }
  | { result: 'failed' | 'unreadable'; error: string }
);

/**
 * Polls each schedule source that some place follows, once per interval however many places
 * share it, with conditional requests. Keeps the last good copy in SQLite (it survives restarts)
 * and parsed in memory, and answers plan questions with the staleness rules applied.
 */
export class SchedulePoller {
  private readonly copies = new Map<string, SourceCopy>();
  private readonly records = new Map<string, FetchRecord>();
  private readonly inFlight = new Map<string, Promise<PollResult>>();
  private readonly rules: FreshnessRules;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<unknown> | null = null;
  private stopped = false;
  private faults: FaultEpisodes | null = null;
  /** Cancels requests under way when the service stops, so a hanging source does not hold the shutdown. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: SchedulePollerOptions) {
    this.rules = freshnessRules(options.pollMs);
    options.metrics?.watchScheduleSources(() => this.ages());
  }

  get sources(): readonly ScheduleSource[] {
    return this.options.sources;
  }

  source(id: string): ScheduleSource | undefined {
    return this.options.sources.find((s) => s.id === id);
  }

  /** Reads the stored copies (at start, so the plan is there before the first poll answers). */
  load(): void {
    for (const row of this.options.store.allSources()) {
      const source = this.source(row.source_id);
      if (!source) continue; // no longer configured: kept on disk, not used
      this.records.set(row.source_id, recordOf(row));
      if (row.body === null || row.fetched_at === null) continue;
      try {
        const snapshot = parseSchedule(source.format, row.body, this.options.zone);
        this.copies.set(row.source_id, { snapshot, fetchedAt: row.fetched_at, changedAt: row.changed_at ?? row.fetched_at });
      } catch (error) {
        this.options.logger.warn({ source: row.source_id, err: message(error) }, 'The stored copy of a schedule source cannot be read; waiting for a fresh one');
      }
    }
  }

  /** Loads the stored copies, then polls due sources now and every tick until stop(). */
  start(): void {
    this.load();
    const tickMs = this.options.tickMs ?? Math.min(this.options.pollMs, 60_000);
    const loop = () => {
      if (this.stopped) return;
      this.faults ??= new FaultEpisodes(this.options.logger);
      const faults = this.faults;
      this.ticking = this.pollDue()
        .then(() => faults.succeeded('schedule polling', this.options.clock.now()))
        // A storage fault (the copy or the failure cannot be recorded) skips the tick, logged once per episode.
        .catch((error: unknown) => faults.failed('schedule polling', error, this.options.clock.now(), 'Schedule polling failed'))
        .finally(() => {
          this.ticking = null;
          if (!this.stopped) this.timer = setTimeout(loop, tickMs).unref();
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Polls every source in use whose last attempt is a poll interval old (or that was never tried). */
  async pollDue(): Promise<PollResult[]> {
    const now = this.options.clock.now();
    const due = this.options.store.sourcesInUse().filter((id) => {
      if (!this.source(id)) return false;
      const last = this.records.get(id)?.lastAttemptAt ?? null;
      // A last attempt "in the future" means the clock was stepped back since: due, not due in hours.
      return last === null || now - last >= this.options.pollMs || last > now;
    });
    // Side by side: a source that hangs or fails holds up none of the others.
    return Promise.all(due.map((id) => this.poll(id)));
  }

  /**
   * Polls one source now; concurrent calls for it share one request. Whatever goes wrong with it
   * (a reply the reader chokes on, storage failing) is this source's failure, recorded with its
   * reason: it never throws, so one bad source never stops the polls of the others.
   */
  poll(sourceId: string): Promise<PollResult> {
    if (!this.source(sourceId)) return Promise.reject(new Error(`Unknown schedule source "${sourceId}"`));
    const running = this.inFlight.get(sourceId);
    if (running) return running;
    const promise = this.pollNow(sourceId)
      .catch((error: unknown) => this.crashed(sourceId, error))
      .finally(() => this.inFlight.delete(sourceId));
    this.inFlight.set(sourceId, promise);
    return promise;
  }

  /** Polls when there is no copy yet or it is a poll interval old (e.g. before showing queues to pick). */
  async ensureFresh(sourceId: string): Promise<SourceCopy | undefined> {
    const copy = this.copies.get(sourceId);
    const now = this.options.clock.now();
    if (!copy || now - copy.fetchedAt >= this.options.pollMs || copy.fetchedAt > now) await this.poll(sourceId);
    return this.copies.get(sourceId);
  }

  copy(sourceId: string): SourceCopy | undefined {
    return this.copies.get(sourceId);
  }

  /** For the admin card: can the source be trusted now, and if not, why (with the data's age). */
  status(sourceId: string): SourceStatus {
    return sourceStatus(this.copies.get(sourceId), this.record(sourceId), this.options.clock.now(), this.rules);
  }

  /** One queue's plan with the staleness rules applied at the current time. */
  plan(sourceId: string, queue: string): QueuePlan {
    return buildQueuePlan(this.copies.get(sourceId), this.record(sourceId), queue, this.options.clock.now(), this.rules);
  }

  private record(sourceId: string): FetchRecord {
    return this.records.get(sourceId) ?? { failures: 0, lastError: null, lastAttemptAt: null };
  }

  private async pollNow(sourceId: string): Promise<PollResult> {
    const source = this.source(sourceId);
    if (!source) throw new Error(`Unknown schedule source "${sourceId}"`);
    const { store, clock, logger, metrics, zone } = this.options;
    const stored = store.source(sourceId);
    const validators = this.copies.has(sourceId) && stored ? { etag: stored.etag, lastModified: stored.last_modified } : null;
    const outcome = await fetchSource(source.url, validators, { timeoutMs: this.options.timeoutMs ?? 20_000, fetch: this.options.fetch, signal: this.stopping.signal });
    // Stopped meanwhile: a cancelled request is not the source's failure, and nothing is written.
    if (this.stopped && outcome.kind === 'failed') return { sourceId, result: 'failed', error: outcome.error };
    const now = clock.now();
    let result: PollResult;
    if (outcome.kind === 'not-modified') {
      store.saveNotModified(sourceId, now);
      // A 304 answers the validators, which are sent only along with a copy.
      const copy = this.copies.get(sourceId);
      if (copy) this.copies.set(sourceId, { ...copy, fetchedAt: now });
      this.records.set(sourceId, { failures: 0, lastError: null, lastAttemptAt: now });
      result = { sourceId, result: 'not_modified' };
    } else if (outcome.kind === 'failed') {
      result = this.failed(sourceId, 'failed', outcome.error, now);
    } else {
      const read = readReply(source.format, outcome.body, zone);
      if ('error' in read) {
        result = this.failed(sourceId, 'unreadable', `unreadable reply: ${read.error}`, now);
      } else {
        const { snapshot } = read;
        if (stored?.body !== outcome.body && this.copies.has(sourceId)) await this.beforeChange(sourceId);
        const row = store.saveFresh(sourceId, { body: outcome.body, etag: outcome.etag, lastModified: outcome.lastModified, asOf: snapshot.asOf }, now);
        const changed = stored?.body !== outcome.body;
        this.copies.set(sourceId, { snapshot, fetchedAt: now, changedAt: row.changed_at ?? now });
        this.records.set(sourceId, { failures: 0, lastError: null, lastAttemptAt: now });
        if (changed && snapshot.problems.length > 0) {
          logger.warn({ source: sourceId, problems: snapshot.problems.slice(0, 20), count: snapshot.problems.length }, 'A schedule source has parts that were refused rather than guessed');
        }
        result = { sourceId, result: changed ? 'updated' : 'unchanged' };
        if (changed) this.notifyUpdate(sourceId);
      }
    }
    metrics?.scheduleFetches.inc({ source: sourceId, result: result.result });
    return result;
  }

  /** The new copy is kept whatever the follower does: its failure is logged, not the source's. */
  private notifyUpdate(sourceId: string): void {
    try {
      this.options.onUpdate?.(sourceId);
    } catch (error) {
      this.options.logger.error({ source: sourceId, err: message(error) }, 'Work after a schedule source changed failed');
    }
  }

  private async beforeChange(sourceId: string): Promise<void> {
    try {
      await this.options.beforeChange?.(sourceId);
    } catch (error) {
      this.options.logger.error({ source: sourceId, err: message(error) }, 'Work due before a schedule copy is replaced failed; replacing it anyway');
    }
  }

  /**
   * A poll that threw (a bug, storage failing): the source's failure like any other, with the
   * reason. When even that cannot be stored, it is kept in memory, so the source still waits its
   * poll period before the next try instead of being fetched again at every tick.
   */
  private crashed(sourceId: string, error: unknown): PollResult {
    const now = this.options.clock.now();
    const reason = `polling failed: ${message(error)}`;
    let result: PollResult;
    try {
      result = this.failed(sourceId, 'failed', reason, now);
    } catch (storeError) {
      const previous = this.record(sourceId);
      this.records.set(sourceId, { failures: previous.failures + 1, lastError: reason, lastAttemptAt: now });
      this.options.metrics?.scheduleFetchFailures.inc({ source: sourceId });
      this.options.logger.error({ source: sourceId, err: reason, storeErr: message(storeError) }, 'A schedule source could not be polled, and the failure could not be stored');
      result = { sourceId, result: 'failed', error: reason };
    }
    this.options.metrics?.scheduleFetches.inc({ source: sourceId, result: 'failed' });
    return result;
  }

  private failed(sourceId: string, kind: 'failed' | 'unreadable', error: string, now: number): PollResult {
    const row = this.options.store.saveFailure(sourceId, error, now);
    this.records.set(sourceId, recordOf(row));
    this.options.metrics?.scheduleFetchFailures.inc({ source: sourceId });
    const keeping = this.copies.has(sourceId) ? 'keeping the last good copy' : 'no copy yet';
    this.options.logger.warn({ source: sourceId, failures: row.failures, err: error }, `A schedule source could not be read (${keeping})`);
    return { sourceId, result: kind, error };
  }

  private ages() {
    const now = this.options.clock.now();
    return this.options.sources.map((s) => {
      const status = this.status(s.id);
      return {
        source: s.id,
        dataAgeS: status.dataAgeMs === null ? null : Math.round(status.dataAgeMs / 1000),
        fetchAgeS: status.fetchedAt === null ? null : Math.max(0, Math.round((now - status.fetchedAt) / 1000)),
      };
    });
  }
}

/** A reply read in the source's format, or why it cannot be: a format error or the reader failing on it. */
function readReply(format: ScheduleSource['format'], body: string, zone: string): { snapshot: ScheduleSnapshot } | { error: string } {
  try {
    return { snapshot: parseSchedule(format, body, zone) };
  } catch (error) {
    if (error instanceof ScheduleFormatError) return { error: error.message };
    return { error: `the reader failed on it (${message(error)})` };
  }
}

function recordOf(row: StoredSource): FetchRecord {
  return { failures: row.failures, lastError: row.last_error, lastAttemptAt: row.last_attempt_at };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
