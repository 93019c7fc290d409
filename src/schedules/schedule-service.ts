import type { SyncDatabase } from '../db/sync-database.js';
import type { Clock } from '../clock.js';
import { FaultEpisodes } from '../db/storage-faults.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { PlaceService } from '../places/place-service.js';
import type { PlaceStore } from '../places/place-store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Alert, AlertPlan, QueueInfo } from '../outbox/payload-parts.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import { alertPlan } from './alert-plan.js';
import { isoDay, lastDays, localDay } from './local-time.js';
import { checkPlaceSchedule, checkWarnMinutes, ScheduleInputError, type WarnMinutes } from './place-schedule.js';
import type { DiagramPlan } from './plan.js';
import { PlanNotices, type PlanNoticesOptions } from './plan-notices.js';
import { SchedulePoller } from './poller.js';
import { dayStateOf, type QueuePlan, type SourceStatus } from './queue-plan.js';
import { ScheduleStore, type PlaceSchedule, type ScheduleSkipRow } from './schedule-store.js';
import { DateTime } from 'luxon';
import { ProbablePoller } from './probable-poller.js';
import { QueueInsights } from './queue-insights.js';
import { templateDay, type ProbableDay, type WeekTemplate } from './week-template.js';
import { SkipRecorder } from './skip-recorder.js';
import type { ScheduleSource } from './sources.js';

const MINUTE = 60_000;
/** How long a person waits for a source never read before being told to try again (the read goes on). */
const QUEUE_WAIT_MS = 5_000;
const SKIP_CHECK_EVERY_MS = 15 * MINUTE;
/** Warnings are due to the minute. */
const WARNING_CHECK_EVERY_MS = MINUTE;
/**
 * Plan changes come with updates (looked at then); this pass is the safety net for what no update
 * announces: a place attached by the CLI in another process, a check that failed.
 */
const CHANGE_CHECK_EVERY_MS = 15 * MINUTE;
/** Queue hints need whole days of record: once an hour is plenty. */
const INSIGHT_CHECK_EVERY_MS = 60 * MINUTE;
/** The card's week ahead: today and the six days after it. */
export const WEEK_AHEAD_DAYS = 7;

export interface ScheduleServiceOptions {
  sqlite: SyncDatabase;
  /** The places' owner (a place's schedule settings are its columns). */
  places: PlaceStore;
  sources: readonly ScheduleSource[];
  pollMs: number;
  /** The configured time zone: schedules speak in its wall-clock hours. */
  zone: string;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Power history, for planned outages that did not happen. */
  placeService: Pick<PlaceService, 'get' | 'eventsBetween'>;
  /** Where warnings and change posts are queued (the outbox's owner); without it none are made (tools). */
  outbox?: Pick<OutboxStore, 'enqueue' | 'inTransaction'>;
  /** Subscribers' own warnings when a place's are off (PlanNoticesOptions.subscriberWarnings). */
  subscriberWarnings?: PlanNoticesOptions['subscriberWarnings'];
  /** Told after posts were queued. */
  wakeOutbox?: () => void;
  /** Tests: a shorter request timeout, a quicker poll loop. */
  timeoutMs?: number;
  tickMs?: number;
}

/** The queues to offer for a source: its own list, or why there is none to show yet. */
export type QueueChoices =
  | { kind: 'queues'; queues: QueueInfo[] }
  /** The source could not be read and there is no earlier copy. */
  | { kind: 'unavailable'; error: string | null }
  /** Still being read: ask again in a moment. */
  | { kind: 'pending' };

/** One source on the admins' sources screen. */
export interface SourceHealth {
  source: ScheduleSource;
  status: SourceStatus;
  failuresLastDay: number;
  /** Places in its region (following a queue or not). */
  places: number;
}

/** A place's schedule as the admin card shows it. */
export interface PlaceScheduleView {
  settings: PlaceSchedule & { source: string; queue: string };
  /** Undefined when the source is no longer configured (removed from SCHEDULE_SOURCES). */
  source: ScheduleSource | undefined;
  /** The source's own name for the queue when its copy has one. */
  queue: QueueInfo;
  /** The queue's plan with the staleness rules applied now. */
  plan: QueuePlan;
  /** Probable outages from the source's weekly schedule, for the days of the week ahead it has not published. */
  probable: ProbableDay[];
}

/**
 * Outage schedules as the rest of the service uses them: the store, the poller and the history
 * of planned outages that did not happen, started and stopped together, and the questions the
 * admin chat and the CLI ask (sources, queues, a place's schedule, its plan now).
 */
export class ScheduleService {
  readonly store: ScheduleStore;
  readonly poller: SchedulePoller;
  readonly skips: SkipRecorder;
  /** Warnings and change posts (null without an outbox). */
  readonly notices: PlanNotices | null;
  /** "Which queue am I?" hints to the admins (null without an outbox). */
  readonly insights: QueueInsights | null;
  private insightTimer: NodeJS.Timeout | null = null;
  /** Weekly schedules published apart from the plan (Yasno's probable outages). */
  readonly probable: ProbablePoller;
  private probableTimer: NodeJS.Timeout | null = null;
  private readonly stopping = new AbortController();
  private skipTimer: NodeJS.Timeout | null = null;
  private noticeTimer: NodeJS.Timeout | null = null;
  private lastChangeCheckAt = -Infinity;
  private faultEpisodes: FaultEpisodes | null = null;

  constructor(private readonly options: ScheduleServiceOptions) {
    this.store = new ScheduleStore(options.sqlite, options.places);
    const recordSkips = (sourceId: string) => this.skips.record(sourceId).then(() => undefined);
    this.poller = new SchedulePoller({
      sources: options.sources,
      store: this.store,
      clock: options.clock,
      logger: options.logger,
      zone: options.zone,
      pollMs: options.pollMs,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.tickMs ? { tickMs: options.tickMs } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      // Past days may leave the copy: record what they planned before it is replaced, and look
      // at the new copy once it is in.
      beforeChange: recordSkips,
      onUpdate: (sourceId) => {
        this.keepPublishedDays(sourceId);
        void this.recordSkipsInBackground(sourceId);
        void this.checkNoticesInBackground({ sourceId });
      },
    });
    this.skips = new SkipRecorder({
      store: this.store,
      plan: (sourceId, queue) => this.poller.plan(sourceId, queue),
      places: options.placeService,
      clock: options.clock,
      logger: options.logger,
    });
    this.notices = options.outbox
      ? new PlanNotices({
          store: this.store,
          plan: (sourceId, queue) => this.poller.plan(sourceId, queue),
          queueInfo: (sourceId, queue) => this.queueInfo(sourceId, queue),
          outbox: options.outbox,
          ...(options.subscriberWarnings ? { subscriberWarnings: options.subscriberWarnings } : {}),
          places: options.placeService,
          wakeOutbox: options.wakeOutbox ?? (() => {}),
          clock: options.clock,
          logger: options.logger,
        })
      : null;
    this.probable = new ProbablePoller({
      sources: options.sources,
      clock: options.clock,
      logger: options.logger,
      signal: this.stopping.signal,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    this.insights = options.outbox
      ? new QueueInsights({
          store: this.store,
          places: options.placeService,
          outbox: options.outbox,
          wakeOutbox: options.wakeOutbox ?? (() => {}),
          zone: options.zone,
          clock: options.clock,
          logger: options.logger,
        })
      : null;
  }

  /** Keeps what the source's copy publishes per day (the copy drops days as they pass). */
  private keepPublishedDays(sourceId: string): void {
    const copy = this.poller.copy(sourceId);
    if (!copy) return;
    try {
      this.store.recordDays(sourceId, copy.snapshot.days, this.options.clock.now());
    } catch (error) {
      this.options.logger.error({ source: sourceId, err: error }, 'keeping the published days of a schedule source failed; the next update tries again');
    }
  }

  private async refreshProbableInBackground(): Promise<void> {
    try {
      await this.probable.refresh(this.store.sourcesInUse());
    } catch (error) {
      this.options.logger.error({ err: error }, 'reading the weekly schedules failed');
    }
  }

  /**
   * Each source worth a look, for the admins' sources screen: the configured ones some place is in
   * (with or without a queue) or that have a kept copy, with their state now (SourceStatus: the last
   * good copy and its age, the failures since the last success), the failed reads of the last day
   * and how many places use it.
   */
  sourcesHealth(): SourceHealth[] {
    const now = this.options.clock.now();
    const failures = this.store.failuresSince(now - 24 * 60 * MINUTE);
    const places = new Map<string, number>();
    for (const place of this.store.placesOnSchedule()) if (place.region !== null) places.set(place.region, (places.get(place.region) ?? 0) + 1);
    const stored = new Set(this.store.allSources().map((row) => row.source_id));
    return this.sources
      .filter((source) => places.has(source.id) || stored.has(source.id))
      .map((source) => ({ source, status: this.poller.status(source.id), failuresLastDay: failures.get(source.id) ?? 0, places: places.get(source.id) ?? 0 }));
  }

  /** Looks for queue hints now (the hourly timer does it on its own). */
  checkInsights(): Promise<number> {
    return this.insights?.check() ?? Promise.resolve(0);
  }

  private async checkInsightsInBackground(): Promise<void> {
    try {
      await this.checkInsights();
    } catch (error) {
      this.options.logger.error({ err: error }, 'looking for queue hints failed');
    }
  }

  /** Loads the kept copies, starts polling, and looks for planned outages that did not happen every 15 min. */
  start(): void {
    this.poller.start();
    for (const source of this.sources) this.keepPublishedDays(source.id);
    void this.recordSkipsInBackground();
    this.skipTimer = setInterval(() => void this.recordSkipsInBackground(), SKIP_CHECK_EVERY_MS);
    this.skipTimer.unref();
    if (this.notices) {
      void this.checkNoticesInBackground();
      // A last check "in the future" means the clock was stepped back since: check, do not wait hours.
      this.noticeTimer = setInterval(() => {
        const now = this.options.clock.now();
        void this.checkNoticesInBackground({ changes: now - this.lastChangeCheckAt >= CHANGE_CHECK_EVERY_MS || this.lastChangeCheckAt > now });
      }, WARNING_CHECK_EVERY_MS);
      this.noticeTimer.unref();
    }
    void this.refreshProbableInBackground();
    this.probableTimer = setInterval(() => void this.refreshProbableInBackground(), 30 * MINUTE);
    this.probableTimer.unref();
    if (this.insights) {
      void this.checkInsightsInBackground();
      this.insightTimer = setInterval(() => void this.checkInsightsInBackground(), INSIGHT_CHECK_EVERY_MS);
      this.insightTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.skipTimer) clearInterval(this.skipTimer);
    if (this.noticeTimer) clearInterval(this.noticeTimer);
    if (this.insightTimer) clearInterval(this.insightTimer);
    if (this.probableTimer) clearInterval(this.probableTimer);
    this.insightTimer = null;
    this.probableTimer = null;
    this.stopping.abort();
    this.skipTimer = null;
    this.noticeTimer = null;
    await this.poller.stop();
    await this.skips.idle();
    await this.notices?.idle();
    await this.insights?.idle();
  }

  get sources(): readonly ScheduleSource[] {
    return this.poller.sources;
  }

  source(id: string): ScheduleSource | undefined {
    return this.poller.source(id);
  }

  /**
   * The queues a source publishes, to pick from. A source already read answers at once (and is
   * refreshed in the background when due); one never read is read now, waited for a few seconds.
   */
  async queueChoices(sourceId: string, waitMs = QUEUE_WAIT_MS): Promise<QueueChoices> {
    if (!this.source(sourceId)) throw unknownSource(sourceId, this.sources);
    const refreshed = this.poller.ensureFresh(sourceId).catch((error: unknown) => {
      this.options.logger.error({ source: sourceId, err: error }, 'reading a schedule source for its queues failed');
      return undefined;
    });
    if (!this.poller.copy(sourceId)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([refreshed, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    const copy = this.poller.copy(sourceId);
    if (copy) return { kind: 'queues', queues: copy.snapshot.queues };
    const status = this.poller.status(sourceId);
    return status.failures > 0 ? { kind: 'unavailable', error: status.lastError } : { kind: 'pending' };
  }

  /** The queues of the source's current copy, without reading it (undefined when it has none yet). */
  queuesNow(sourceId: string): QueueInfo[] | undefined {
    return this.poller.copy(sourceId)?.snapshot.queues;
  }

  settings(placeId: number): PlaceSchedule | undefined {
    return this.store.placeSchedule(placeId);
  }

  /**
   * Puts a place on a source's queue: the source must be configured and the queue one it
   * publishes (checked against its copy; see checkPlaceSchedule). Throws ScheduleInputError.
   */
  attach(placeId: number, sourceId: string, queueInput: string): { source: ScheduleSource; queue: QueueInfo } {
    const choice = checkPlaceSchedule(this.sources, sourceId, queueInput, this.poller.copy(sourceId.trim())?.snapshot);
    if (!this.store.setPlaceSchedule(placeId, { source: choice.source.id, queue: choice.queue.id })) throw placeMissing(placeId);
    // What the place first sees is remembered now, so the next change is told as a change.
    void this.checkNoticesInBackground({ sourceId: choice.source.id });
    return choice;
  }

  /**
   * The place is in a source's region but does not know its queue: its record will tell (queue
   * hints to the admins after outages on a few days). Throws ScheduleInputError for an unknown source.
   */
  setRegion(placeId: number, sourceId: string): ScheduleSource {
    const source = this.source(sourceId.trim());
    if (!source) throw unknownSource(sourceId, this.sources);
    if (!this.store.setPlaceRegion(placeId, source.id)) throw placeMissing(placeId);
    return source;
  }

  /** The place follows no schedule any more (its settings for warnings stay for next time). */
  detach(placeId: number): void {
    if (!this.store.setPlaceSchedule(placeId, null)) throw placeMissing(placeId);
  }

  setWarnMinutes(placeId: number, minutes: number | string): WarnMinutes {
    const checked = checkWarnMinutes(minutes);
    if (!this.store.setWarnMinutes(placeId, checked)) throw placeMissing(placeId);
    return checked;
  }

  setPostTomorrow(placeId: number, on: boolean): void {
    if (!this.store.setPostTomorrow(placeId, on)) throw placeMissing(placeId);
  }

  /** The place's schedule and its plan now; null when it follows none. */
  view(placeId: number): PlaceScheduleView | null {
    const settings = this.store.placeSchedule(placeId);
    if (!settings || settings.source === null || settings.queue === null) return null;
    const { source: sourceId, queue: queueId } = settings;
    const plan = this.poller.plan(sourceId, queueId);
    return {
      settings: { ...settings, source: sourceId, queue: queueId },
      source: this.source(sourceId),
      queue: this.queueInfo(sourceId, queueId),
      plan,
      probable: this.probableDays(sourceId, queueId, plan, this.options.clock.now(), WEEK_AHEAD_DAYS),
    };
  }

  /**
   * The week ahead from the source's weekly schedule (GPV preset.data, Yasno probable outages):
   * for each of `count` local days from the day of `now` that the source has not published, the
   * probable outages. Nothing when the source cannot be trusted now, and nothing for a day the
   * source has published or put under emergency cuts: a template never stands in for a plan.
   */
  probableDays(sourceId: string, queueId: string, plan: QueuePlan, now: number, count: number): ProbableDay[] {
    if (plan.blocked) return [];
    const template = this.weekTemplate(sourceId, queueId);
    if (!template) return [];
    const first = localDay(now, this.options.zone);
    const out: ProbableDay[] = [];
    for (let i = 0; i < count; i += 1) {
      const day = isoDay(DateTime.fromISO(first, { zone: this.options.zone }).plus({ days: i }));
      const state = dayStateOf(plan, day);
      if (state.known || state.reason === 'emergency') continue;
      out.push(templateDay(template, day, this.options.zone));
    }
    return out;
  }

  private weekTemplate(sourceId: string, queueId: string): WeekTemplate | undefined {
    const probable = this.poller.copy(sourceId)?.snapshot.probable;
    if (probable && Object.hasOwn(probable, queueId)) return probable[queueId];
    return this.probable.template(sourceId, queueId);
  }

  /**
   * What the place's plan says about a power change (monitor's hook, at decision time): null when
   * the place follows no schedule or its plan is not known now. One settings row and a lookup in
   * the parsed copy: microseconds, and only when the power changes.
   */
  alertPlan(placeId: number, alert: Alert): AlertPlan | null {
    const settings = this.store.placeSchedule(placeId);
    if (!settings || settings.source === null || settings.queue === null) return null;
    return alertPlan(this.poller.plan(settings.source, settings.queue), this.queueInfo(settings.source, settings.queue), alert);
  }

  /**
   * The plan to draw under the place's diagram of the 7 local days ending on the day of `now`:
   * each day from the current copy when it knows it, a day already over from the version the
   * place was last told (the copy drops days as they pass). Today, when not known now, gets no
   * plan: a stale plan is never drawn. Undefined when the place follows no schedule.
   */
  diagramPlan(placeId: number, now: number): DiagramPlan | undefined {
    const settings = this.store.placeSchedule(placeId);
    if (!settings || settings.source === null || settings.queue === null) return undefined;
    const plan = this.poller.plan(settings.source, settings.queue);
    const days = lastDays(now, this.options.zone, 7);
    const today = localDay(now, this.options.zone);
    const result: DiagramPlan = { knownDays: [], intervals: [] };
    for (const day of days) {
      const state = dayStateOf(plan, day);
      const intervals = state.known ? state.intervals : day < today ? this.store.toldPlan(placeId, day) : undefined;
      if (!intervals) continue;
      result.knownDays.push(day);
      result.intervals.push(...intervals);
    }
    // Today's part still ahead, when today is not published: the weekly schedule's probable outages.
    const probable = this.probableDays(settings.source, settings.queue, plan, now, 1).flatMap((d) => d.intervals);
    if (probable.length > 0) result.probable = probable;
    return result;
  }

  /**
   * The plan the place followed over [from, to) (the weekly summary's planned vs real hours): each
   * local day from the current copy when it knows it, else from the version the place was told.
   * Days without either are left out, so unknown never counts as "no outages planned". Undefined
   * when the place follows no schedule.
   */
  plannedBetween(placeId: number, from: number, to: number): { from: number; to: number; kind: 'planned' | 'possible' }[] | undefined {
    const settings = this.store.placeSchedule(placeId);
    if (!settings || settings.source === null || settings.queue === null) return undefined;
    const plan = this.poller.plan(settings.source, settings.queue);
    const days = Math.ceil((to - from) / 86_400_000) + 2;
    const result: { from: number; to: number; kind: 'planned' | 'possible' }[] = [];
    for (const day of lastDays(to, this.options.zone, days)) {
      const state = dayStateOf(plan, day);
      const intervals = state.known ? state.intervals : this.store.toldPlan(placeId, day);
      for (const interval of intervals ?? []) {
        const start = Math.max(interval.start, from);
        const end = Math.min(interval.end, to);
        if (start < end) result.push({ from: start, to: end, kind: interval.kind });
      }
    }
    return result;
  }

  /** Looks for plan changes (unless `changes: false`) and due warnings now; the timer and each update do it on their own. */
  checkNotices(options: { sourceId?: string; changes?: boolean } = {}): Promise<number> {
    if (!this.notices) return Promise.resolve(0);
    if ((options.changes ?? true) && options.sourceId === undefined) this.lastChangeCheckAt = this.options.clock.now();
    return this.notices.check(options);
  }

  /** The queue as the source names it ("Черга 3.1"), or just its id when the copy has no name. */
  private queueInfo(sourceId: string, queueId: string): QueueInfo {
    return this.poller.copy(sourceId)?.snapshot.queues.find((q) => q.id === queueId) ?? { id: queueId, label: null };
  }

  private async checkNoticesInBackground(options: { sourceId?: string; changes?: boolean } = {}): Promise<void> {
    try {
      await this.checkNotices(options);
      this.faults.succeeded('schedule notices', this.options.clock.now());
    } catch (error) {
      this.faults.failed('schedule notices', error, this.options.clock.now(), 'looking for schedule warnings and changes failed');
    }
  }

  /** The background jobs' storage faults, logged once per episode. */
  private get faults(): FaultEpisodes {
    return (this.faultEpisodes ??= new FaultEpisodes(this.options.logger));
  }

  /** Planned outages that did not happen at the place, overlapping [from, to), oldest first. */
  skipsBetween(placeId: number, from: number, to: number): ScheduleSkipRow[] {
    return this.store.skipsBetween(placeId, from, to);
  }

  private async recordSkipsInBackground(sourceId?: string): Promise<void> {
    try {
      await this.skips.record(sourceId);
      this.faults.succeeded('schedule skips', this.options.clock.now());
    } catch (error) {
      this.faults.failed('schedule skips', error, this.options.clock.now(), 'recording planned outages that did not happen failed');
    }
  }
}

function unknownSource(sourceId: string, sources: readonly ScheduleSource[]): ScheduleInputError {
  const known = sources.map((s) => s.id).join(', ');
  return new ScheduleInputError(`There is no schedule source "${sourceId}". Known sources: ${known}.`, 'unknown-source', { source: sourceId, known });
}

/** The place is gone: the same refusal PlaceService gives. */
function placeMissing(placeId: number): PlaceInputError {
  return new PlaceInputError(`There is no place with id ${placeId}. List the places to see their ids.`, 'place-missing', { id: placeId });
}
