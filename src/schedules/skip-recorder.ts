import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { PlaceService } from '../places/place-service.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { Logger } from '../logger.js';
import { plannedButPowerOn, type PowerSpan } from './lookups.js';
import type { PlanInterval } from '../outbox/payload-parts.js';
import type { QueuePlan } from './queue-plan.js';
import type { ScheduleStore } from './schedule-store.js';

const HOUR = 3_600_000;
/** Planned outages that ended longer ago than this are not looked at again (copies hold ~2 days). */
export const SKIP_LOOKBACK_MS = 72 * HOUR;
/**
 * Places looked at between two turns of the event loop. The database answers synchronously (its
 * awaits never let a heartbeat in), so a pass over many places is cut into short slices.
 */
const PLACES_PER_TURN = 10;

/**
 * Planned intervals of a plan that are over and settled: they ended by `settledUntil` (the last
 * moment the place's power is known for sure) and not before `since`. Taken day by day, so an
 * outage across midnight is two records, each true of its day, and the first can be recorded
 * before the source drops the day that has passed. Only what the plan can be trusted for: a
 * blocked plan (failed or stale source) gives nothing.
 */
export function settledPlannedIntervals(plan: QueuePlan, settledUntil: number, since: number): PlanInterval[] {
  if (plan.blocked) return [];
  return plan.days.flatMap((day) =>
    day.status === 'plan' ? day.intervals.filter((i) => i.kind === 'planned' && i.end <= settledUntil && i.end > since) : [],
  );
}

/**
 * What "the power was on" can be based on: intervals as stored, an open one lasting until the last
 * heartbeat (not until now: a board that went quiet a minute ago may be the start of an outage
 * the timeout has not declared yet).
 */
export function settledSpans(events: readonly { status: PowerSpan['status']; started_at: number; ended_at: number | null }[], lastHeartbeatAt: number | null): {
  spans: PowerSpan[];
  settledUntil: number;
} {
  const open = events.find((e) => e.ended_at === null);
  // An open event (no end yet) adds nothing: it counts as 0 against the floor of 0.
  const closedUntil = Math.max(0, ...events.map((e) => e.ended_at ?? 0));
  const settledUntil = open ? Math.max(closedUntil, open.status === 'on' ? (lastHeartbeatAt ?? open.started_at) : open.started_at) : closedUntil;
  const spans = events.map((e) => ({ status: e.status, start: e.started_at, end: e.ended_at ?? settledUntil }));
  return { spans, settledUntil };
}

export interface SkipRecorderOptions {
  store: Pick<ScheduleStore, 'placesOnSchedule' | 'recordSkip'>;
  /** A queue's plan with the staleness rules applied now (SchedulePoller.plan). */
  plan: (sourceId: string, queue: string) => QueuePlan;
  places: Pick<PlaceService, 'get' | 'eventsBetween'>;
  clock: Clock;
  logger: Logger;
}

/**
 * Records planned outages that did not happen ("за графіком, але світло було"): for each place on
 * a schedule, the planned intervals that are over, during which its power was on the whole time.
 * Idempotent (one record per place and planned start, kept by the store), so it can run as often
 * as wanted: on a timer, after each poll, and before a new copy replaces an old one.
 */
export class SkipRecorder {
  /** Intervals already decided (recorded, or not a skip): looked at once per process. */
  private readonly decided = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SkipRecorderOptions) {}

  /** Looks at every place on a schedule (or only those on `sourceId`); resolves to the number recorded. */
  record(sourceId?: string): Promise<number> {
    const run = this.queue.then(() => this.recordNow(sourceId));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no run is under way (before the database closes). */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async recordNow(sourceId: string | undefined): Promise<number> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const since = now - SKIP_LOOKBACK_MS;
    for (const [key, end] of this.decided) if (end <= since) this.decided.delete(key);
    let recorded = 0;
    // Many places share a queue: its intervals are worked out once per run.
    const intervalsOf = new Map<string, PlanInterval[]>();
    let looked = 0;
    for (const place of store.placesOnSchedule()) {
      if (place.source === null || place.queue === null || (sourceId !== undefined && place.source !== sourceId)) continue;
      if (++looked % PLACES_PER_TURN === 0) await nextTurn();
      const key = `${place.source}|${place.queue}`;
      let intervals = intervalsOf.get(key);
      if (!intervals) intervalsOf.set(key, (intervals = settledPlannedIntervals(this.options.plan(place.source, place.queue), now, since)));
      try {
        recorded += await this.recordPlace(place.placeId, place.source, place.queue, intervals);
      } catch (error) {
        if (error instanceof PlaceInputError) continue; // deleted meanwhile
        logger.error({ err: error, placeId: place.placeId }, 'recording planned outages that did not happen failed for a place');
      }
    }
    if (recorded > 0) logger.info({ recorded, source: sourceId }, 'planned outages that did not happen recorded');
    return recorded;
  }

  /** `intervals`: the queue's planned intervals over by now; each is settled for the place once its power is known past the end. */
  private async recordPlace(placeId: number, sourceId: string, queue: string, intervals: readonly PlanInterval[]): Promise<number> {
    const keyOf = (i: PlanInterval) => `${placeId}|${sourceId}|${queue}|${i.start}|${i.end}`;
    const candidates = intervals.filter((i) => !this.decided.has(keyOf(i)));
    if (candidates.length === 0) return 0;
    const { places, store } = this.options;
    const place = await places.get(placeId);
    const from = Math.min(...candidates.map((i) => i.start));
    const to = Math.max(...candidates.map((i) => i.end));
    const { spans, settledUntil } = settledSpans(await places.eventsBetween(placeId, from, to), place.last_heartbeat_at);
    const settled = candidates.filter((i) => i.end <= settledUntil);
    const skipped = new Set(plannedButPowerOn(settled, spans, settledUntil));
    let recorded = 0;
    for (const interval of settled) {
      if (skipped.has(interval) && store.recordSkip(placeId, interval, sourceId, queue, this.options.clock.now())) recorded += 1;
      this.decided.set(keyOf(interval), interval.end);
    }
    return recorded;
  }
}
