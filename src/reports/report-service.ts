import type { Clock } from '../clock.js';
import { FaultEpisodes } from '../db/storage-faults.js';
import type { Logger } from '../logger.js';
import type { OutboxMessage, ReportRecipient } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import { decideReport, latestDue, nextReportTime, REPORT_KINDS, type DueReport, type ReportKind } from './report-schedule.js';
import type { ReportStore } from './report-store.js';

/** What the schedule reads of a place (a row of `locations`). */
export interface ReportPlace {
  id: number;
  channel_id: string | null;
  paused: number;
  created_at: number;
  /** The admin's switches for the place's channel (1 on, 0 off). */
  weekly_report: number;
  monthly_report: number;
}

export interface ReportServiceOptions {
  store: ReportStore;
  outbox: Pick<OutboxStore, 'enqueue'>;
  /** Every place, as much of it as the schedule needs (PlaceStore.reportTargets). */
  places: () => Promise<ReportPlace[]>;
  /**
   * The subscribers of a place who want its weekly summary (SubscriberStore.recipients(id,
   * 'weekly')): each gets it privately, in their language, whatever the channel's switch (it is
   * their own choice). Absent until subscriptions are wired: the summary then goes to the
   * place's channel only.
   */
  weeklyRecipients?: (placeId: number) => ReportRecipient[];
  clock: Clock;
  logger: Logger;
  timeZone: string;
  defaultChannelId: string | undefined;
  /** Called after rows were queued, so they go out now. */
  wakeOutbox: () => void;
}

/** Re-reads the clock at least this often while waiting (a clock that jumped delays a fire by at most this). */
const MAX_SLEEP_MS = 60_000;
/** What was queued is remembered this long: far past any catch-up window. */
const REMEMBER_MS = 400 * 24 * 3_600_000;
/** After a failed run (the database locked, say), the next try comes this much later, not next week. */
const RETRY_AFTER_FAILURE_MS = 60_000;

/**
 * Queues the weekly summaries (Monday 09:00) and monthly reports (the 1st, 09:00) of every place
 * that has them on. At each due time, and once at start (the catch-up after a restart), it queues
 * for each place the latest due report of each kind that it has not queued yet (report-store.ts)
 * and that is not too old, in one transaction with its outbox rows. Fire times come from Luxon
 * in the configured zone (report-schedule.ts), re-armed from clock readings.
 */
export class ReportService {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private faults: FaultEpisodes | null = null;
  private inFlight: Promise<number> | null = null;
  /** The next due time; `tick()` queues once the clock passed it. */
  nextFireAt = 0;

  constructor(private readonly options: ReportServiceOptions) {}

  /** Catches up what is due, then follows the due times until `stop()`. */
  start(): void {
    this.running = true;
    void this.runGuarded();
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The wall clock stepped (src/clock-steps.ts): the next due time is worked out again from the
   * new time (a step back brings it nearer, a step forward past it fires it now), and the timer
   * is armed for it.
   */
  clockStepped(): void {
    if (!this.running) return;
    this.nextFireAt = Math.min(this.nextFireAt, nextReportTime(this.options.clock.now(), this.options.timeZone));
    this.arm();
  }

  /** Queues what is due if the clock reached the next due time; re-arms the timer either way. */
  async tick(): Promise<void> {
    if (this.options.clock.now() >= this.nextFireAt) await this.runGuarded();
    if (this.running) this.arm();
  }

  /**
   * Queues every due report not queued yet; resolves with how many reports (places × kinds)
   * were queued. Idempotent, and one run at a time.
   */
  runDue(): Promise<number> {
    this.inFlight ??= this.queueDue().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async runGuarded(): Promise<number> {
    this.faults ??= new FaultEpisodes(this.options.logger);
    try {
      const queued = await this.runDue();
      this.faults.succeeded('report schedule', this.options.clock.now());
      return queued;
    } catch (error) {
      // A storage fault is logged once per episode; the run is tried again every minute meanwhile.
      this.faults.failed('report schedule', error, this.options.clock.now(), 'queueing the reports failed; trying again in a minute');
      this.nextFireAt = this.options.clock.now() + RETRY_AFTER_FAILURE_MS;
      return 0;
    }
  }

  private async queueDue(): Promise<number> {
    const { store, outbox, clock, timeZone, logger } = this.options;
    this.nextFireAt = nextReportTime(clock.now(), timeZone);
    const now = clock.now();
    // Outside every report's catch-up window (most runs: the timer fires daily) no place is read.
    const due = REPORT_KINDS.map((kind) => latestDue(kind, now, timeZone)).filter(
      (report) => decideReport(report, { createdAt: -Infinity, paused: false, hasTarget: true }, now) === 'queue',
    );
    const places = due.length > 0 ? await this.options.places() : [];
    const counts: Record<ReportKind, number> = { weekly: 0, monthly: 0 };
    store.transaction(() => {
      for (const place of places) {
        for (const report of due) {
          // The place's own conditions first; its recipients are read only when it may get the report.
          if (decideReport(report, { createdAt: place.created_at, paused: place.paused !== 0, hasTarget: true }, now) !== 'queue') continue;
          const messages = this.messagesFor(place, report);
          if (messages.length === 0 || !store.claim(place.id, report.kind, report.key, now)) continue;
          for (const message of messages) outbox.enqueue(message, now);
          counts[report.kind] += 1;
        }
      }
      store.pruneBefore(now - REMEMBER_MS);
    });
    const queued = counts.weekly + counts.monthly;
    if (queued > 0) {
      logger.info({ weekly: counts.weekly, monthly: counts.monthly, periods: due.map((report) => report.key) }, 'reports queued');
      this.options.wakeOutbox();
    }
    return queued;
  }

  /**
   * The outbox rows of one report: to the place's channel when its switch is on, and the weekly
   * one to each subscriber who wants it.
   */
  private messagesFor(place: ReportPlace, report: DueReport): OutboxMessage[] {
    const messages: OutboxMessage[] = [];
    const hasChannel = (place.channel_id ?? this.options.defaultChannelId) != null && enabled(place, report.kind);
    if (report.kind === 'monthly') {
      if (hasChannel) messages.push({ kind: 'monthly_report', placeId: place.id, payload: { month: report.key } });
      return messages;
    }
    if (hasChannel) messages.push({ kind: 'weekly_report', placeId: place.id, payload: { week: report.key } });
    for (const to of this.options.weeklyRecipients?.(place.id) ?? []) {
      messages.push({ kind: 'weekly_report', placeId: place.id, payload: { week: report.key, to } });
    }
    return messages;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, this.nextFireAt - this.options.clock.now()));
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }
}

function enabled(place: ReportPlace, kind: ReportKind): boolean {
  return (kind === 'weekly' ? place.weekly_report : place.monthly_report) !== 0;
}
