import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { PlaceService } from '../places/place-service.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { Logger } from '../logger.js';
import type { QueueHintNotice } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import { localDayBefore, localDayClock } from './local-time.js';
import type { PlanInterval } from '../outbox/payload-parts.js';
import { betterQueue, matchQueues, type MatchDay, type MatchVerdict } from './queue-match.js';
import type { PlaceSchedule, ScheduleStore } from './schedule-store.js';

/** How many local days of record are compared (the last full days before today). */
export const INSIGHT_DAYS = 7;

/**
 * The published days of a source, as the matcher reads them: each local day every queue had a
 * plan for. A day on which any queue was under emergency cuts is left out (the schedule did not
 * apply), and so is a day with no plans at all.
 */
export function matchDays(rows: readonly { queue: string; day: string; status: 'plan' | 'emergency'; intervals: PlanInterval[] }[], zone: string): MatchDay[] {
  const byDay = new Map<string, { emergency: boolean; queues: Record<string, PlanInterval[]> }>();
  for (const row of rows) {
    let entry = byDay.get(row.day);
    if (!entry) byDay.set(row.day, (entry = { emergency: false, queues: Object.create(null) as Record<string, PlanInterval[]> }));
    if (row.status === 'emergency') entry.emergency = true;
    else entry.queues[row.queue] = row.intervals;
  }
  const days: MatchDay[] = [];
  for (const [day, entry] of byDay) {
    if (entry.emergency || Object.keys(entry.queues).length === 0) continue;
    const clock = localDayClock(day, zone);
    days.push({ day, start: clock.start, end: clock.end, queues: entry.queues });
  }
  return days.sort((a, b) => a.start - b.start);
}

/** What to tell the admins about a place's queue now, if anything (before the once-only check). */
export function queueHint(verdict: MatchVerdict, current: string | null): Omit<QueueHintNotice, 'notice' | 'placeId' | 'placeName' | 'source'> | null {
  if (current === null) {
    if (verdict.kind === 'match') {
      const { queue, matched, outages, days } = verdict.best;
      return { hint: 'suggest', queue, current: null, matched, outages, days };
    }
    if (verdict.kind === 'none-fits') {
      const best = verdict.best;
      return { hint: 'none', queue: null, current: null, matched: best?.matched ?? 0, outages: best?.outages ?? 0, days: best?.days ?? 0 };
    }
    return null;
  }
  const better = betterQueue(verdict, current);
  if (!better) return null;
  const { queue, matched, outages, days } = better.better;
  return { hint: 'better', queue, current, matched, outages, days, currentMatched: better.current.matched };
}

export interface QueueInsightsOptions {
  store: Pick<ScheduleStore, 'placesOnSchedule' | 'publishedDays' | 'markHint'>;
  places: Pick<PlaceService, 'get' | 'eventsBetween'>;
  outbox: Pick<OutboxStore, 'enqueue' | 'inTransaction'>;
  wakeOutbox: () => void;
  zone: string;
  clock: Clock;
  logger: Logger;
}

/**
 * "Which queue am I?" from the record: for each place in a source's region, its last INSIGHT_DAYS
 * full days of outages against every queue the source published for them (queue-match.ts). A
 * place without a queue gets one suggestion per queue (with a button that sets it) or one "no
 * queue fits"; a place whose record keeps disagreeing with its queue while another fits much
 * better gets one word about that. Each is told once (schedule_hints), to the admins.
 */
export class QueueInsights {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: QueueInsightsOptions) {}

  /** Looks at every place in a region now; resolves to the hints queued. */
  check(): Promise<number> {
    const run = this.queue.then(() => this.checkNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  async idle(): Promise<void> {
    await this.queue;
  }

  /** The verdict for one place now (the CLI and tests); null when it is in no region. */
  async verdictFor(placeId: number, region: string, cache?: Map<string, MatchDay[]>): Promise<MatchVerdict> {
    const { store, places, clock, zone } = this.options;
    const now = clock.now();
    // The last full days before today (today is not over: its record is not complete).
    const first = localDayBefore(now, zone, INSIGHT_DAYS);
    const last = localDayBefore(now, zone, 1);
    // Many places share a region: its days are read once per run.
    let days = cache?.get(region);
    if (!days) {
      days = matchDays(store.publishedDays(region, first, last), zone);
      cache?.set(region, days);
    }
    const from = localDayClock(first, zone).start;
    const to = localDayClock(last, zone).end;
    const events = await places.eventsBetween(placeId, from, to);
    const power = events.map((e) => ({ status: e.status, start: e.started_at, end: e.ended_at }));
    return matchQueues(days, power, Math.min(now, to));
  }

  private async checkNow(): Promise<number> {
    const { store, outbox, clock, logger } = this.options;
    let queued = 0;
    const places = store.placesOnSchedule().filter((p): p is PlaceSchedule & { region: string } => p.region !== null);
    const days = new Map<string, MatchDay[]>();
    for (const [index, place] of places.entries()) {
      if (index > 0 && index % 20 === 0) await nextTurn();
      try {
        const verdict = await this.verdictFor(place.placeId, place.region, days);
        const hint = queueHint(verdict, place.queue);
        if (!hint) continue;
        const { name } = await this.options.places.get(place.placeId);
        const now = clock.now();
        queued += outbox.inTransaction(() => {
          if (!store.markHint(place.placeId, hint.hint, hint.queue ?? '', now)) return 0;
          const payload: QueueHintNotice = { notice: 'queue_hint', placeId: place.placeId, placeName: name, source: place.region, ...hint };
          outbox.enqueue({ kind: 'admin_notice', placeId: place.placeId, payload }, now);
          return 1;
        });
      } catch (error) {
        if (error instanceof PlaceInputError) continue; // deleted meanwhile
        logger.error({ err: error, placeId: place.placeId }, 'matching a place against its queues failed; trying again on the next check');
      }
    }
    if (queued > 0) {
      logger.info({ queued }, 'queue hints queued for the admins');
      this.options.wakeOutbox();
    }
    return queued;
  }
}
