import type { SyncDatabase } from '../db/sync-database.js';
import type { Selectable } from 'kysely';
import type { ScheduleSkipsTable, ScheduleSourcesTable } from '../db/schema.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';
import type { PlaceStore, PlaceScheduleColumns } from '../places/place-store.js';
import type { WarnMinutes } from './place-schedule.js';
import type { PlanInterval, PlanKind } from '../outbox/payload-parts.js';
import type { DayEntry } from './snapshot.js';

export type StoredSource = Selectable<ScheduleSourcesTable>;
export type ScheduleSkipRow = Selectable<ScheduleSkipsTable>;

/** A place's schedule settings (source and queue are null together when it follows none). */
export interface PlaceSchedule {
  placeId: number;
  source: string | null;
  queue: string | null;
  /** The source the place is in, with or without a queue (a place may know its region but not its queue). */
  region: string | null;
  warnMinutes: WarnMinutes;
  postTomorrow: boolean;
}

const plans = {
  allSources: statementPlan(() => queryBuilder.selectFrom('schedule_sources').selectAll().orderBy('source_id')),
  source: statementPlan((p: { id: string }) => queryBuilder.selectFrom('schedule_sources').selectAll().where('source_id', '=', p.id)),
  saveFresh: statementPlan((p: { id: string; body: string; etag: string | null; lastModified: string | null; asOf: number | null; now: number }) =>
    queryBuilder
      .insertInto('schedule_sources')
      .values({
        source_id: p.id,
        body: p.body,
        etag: p.etag,
        last_modified: p.lastModified,
        as_of: p.asOf,
        fetched_at: p.now,
        changed_at: p.now,
        failures: 0,
        last_error: null,
        last_attempt_at: p.now,
      })
      .onConflict((oc) =>
        oc.column('source_id').doUpdateSet((eb) => ({
          // `changed_at` moves only when the body differs (IS NOT DISTINCT FROM: a NULL body compares too, in both dialects).
          changed_at: eb
            .case()
            .when('schedule_sources.body', 'is not distinct from', eb.ref('excluded.body'))
            .then(eb.ref('schedule_sources.changed_at'))
            .else(eb.ref('excluded.changed_at'))
            .end(),
          body: eb.ref('excluded.body'),
          etag: eb.ref('excluded.etag'),
          last_modified: eb.ref('excluded.last_modified'),
          as_of: eb.ref('excluded.as_of'),
          fetched_at: eb.ref('excluded.fetched_at'),
          failures: 0,
          last_error: null,
          last_attempt_at: eb.ref('excluded.last_attempt_at'),
        })),
      ),
  ),
  saveNotModified: statementPlan((p: { id: string; now: number }) =>
    queryBuilder
      .updateTable('schedule_sources')
      .set({ fetched_at: p.now, failures: 0, last_error: null, last_attempt_at: p.now })
      .where('source_id', '=', p.id),
  ),
  saveFailure: statementPlan((p: { id: string; error: string; now: number }) =>
    queryBuilder
      .insertInto('schedule_sources')
      .values({ source_id: p.id, failures: 1, last_error: p.error, last_attempt_at: p.now })
      .onConflict((oc) =>
        oc.column('source_id').doUpdateSet((eb) => ({
          failures: eb('schedule_sources.failures', '+', 1),
          last_error: eb.ref('excluded.last_error'),
          last_attempt_at: eb.ref('excluded.last_attempt_at'),
        })),
      ),
  ),
  forgetTold: statementPlan((p: { placeId: number }) => queryBuilder.deleteFrom('schedule_told').where('location_id', '=', p.placeId)),
  told: statementPlan((p: { placeId: number; day: string }) =>
    queryBuilder.selectFrom('schedule_told').select('intervals').where('location_id', '=', p.placeId).where('day', '=', p.day),
  ),
  remember: statementPlan((p: { placeId: number; day: string; intervals: string; now: number }) =>
    queryBuilder
      .insertInto('schedule_told')
      .values({ location_id: p.placeId, day: p.day, intervals: p.intervals, told_at: p.now })
      .onConflict((oc) =>
        oc.columns(['location_id', 'day']).doUpdateSet((eb) => ({ intervals: eb.ref('excluded.intervals'), told_at: eb.ref('excluded.told_at') })),
      ),
  ),
  markWarned: statementPlan((p: { placeId: number; startsAt: number; now: number }) =>
    queryBuilder.insertInto('schedule_warnings').onConflict((oc) => oc.doNothing()).values({ location_id: p.placeId, starts_at: p.startsAt, warned_at: p.now }),
  ),
  recordSkip: statementPlan((p: { placeId: number; start: number; end: number; sourceId: string; queue: string; now: number }) =>
    queryBuilder
      .insertInto('schedule_skips')
      .onConflict((oc) => oc.doNothing())
      .values({ location_id: p.placeId, starts_at: p.start, ends_at: p.end, source_id: p.sourceId, queue: p.queue, recorded_at: p.now }),
  ),
  skipsBetween: statementPlan((p: { placeId: number; from: number; to: number }) =>
    queryBuilder
      .selectFrom('schedule_skips')
      .selectAll()
      .where('location_id', '=', p.placeId)
      .where('starts_at', '<', p.to)
      .where('ends_at', '>', p.from)
      .orderBy('starts_at'),
  ),
  recordDay: statementPlan((p: { sourceId: string; queue: string; day: string; status: 'plan' | 'emergency'; intervals: string; now: number }) =>
    queryBuilder
      .insertInto('schedule_days')
      .values({ source_id: p.sourceId, queue: p.queue, day: p.day, status: p.status, intervals: p.intervals, seen_at: p.now })
      .onConflict((oc) =>
        oc.columns(['source_id', 'queue', 'day']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          intervals: eb.ref('excluded.intervals'),
          seen_at: eb.ref('excluded.seen_at'),
        })),
      ),
  ),
  daysOf: statementPlan((p: { sourceId: string; from: string; to: string }) =>
    queryBuilder
      .selectFrom('schedule_days')
      .select(['queue', 'day', 'status', 'intervals'])
      .where('source_id', '=', p.sourceId)
      .where('day', '>=', p.from)
      .where('day', '<=', p.to)
      .orderBy('day')
      .orderBy('queue'),
  ),
  markHint: statementPlan((p: { placeId: number; kind: 'suggest' | 'none' | 'better'; queue: string; now: number }) =>
    queryBuilder.insertInto('schedule_hints').onConflict((oc) => oc.doNothing()).values({ location_id: p.placeId, kind: p.kind, queue: p.queue, told_at: p.now }),
  ),
  hintsOf: statementPlan((p: { placeId: number }) =>
    queryBuilder.selectFrom('schedule_hints').select(['kind', 'queue', 'told_at']).where('location_id', '=', p.placeId).orderBy('told_at'),
  ),
  emergencyTold: statementPlan((p: { placeId: number }) => queryBuilder.selectFrom('schedule_emergency').select('emergency').where('location_id', '=', p.placeId)),
  tellEmergency: statementPlan((p: { placeId: number; emergency: number; now: number }) =>
    queryBuilder
      .insertInto('schedule_emergency')
      .values({ location_id: p.placeId, emergency: p.emergency, told_at: p.now })
      .onConflict((oc) => oc.column('location_id').doUpdateSet((eb) => ({ emergency: eb.ref('excluded.emergency'), told_at: eb.ref('excluded.told_at') }))),
  ),
  recordFailure: statementPlan((p: { id: string; now: number }) => queryBuilder.insertInto('schedule_failures').values({ source_id: p.id, at: p.now })),
  failuresSince: statementPlan((p: { since: number }) =>
    queryBuilder
      .selectFrom('schedule_failures')
      .select((eb) => ['source_id', eb.fn.countAll<number>().as('failures')])
      .where('at', '>=', p.since)
      .groupBy('source_id'),
  ),
  pruneDays: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('schedule_days').where('seen_at', '<', p.before)),
  pruneFailures: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('schedule_failures').where('at', '<', p.before)),
  pruneTold: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('schedule_told').where('told_at', '<', p.before)),
  pruneWarnings: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('schedule_warnings').where('starts_at', '<', p.before)),
};

/**
 * The one owner of the schedule tables (schedule_sources, schedule_told, schedule_warnings,
 * schedule_skips, schedule_days, schedule_hints, schedule_emergency, schedule_failures). A place's schedule settings are columns of `locations`: their queries are the
 * locations owner's (PlaceStore), this store says what they mean. Main thread only (the only writer).
 */
export class ScheduleStore {
  private readonly statements;

  constructor(
    private readonly sqlite: SyncDatabase,
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  // --- sources: the last good copy and how fetching goes ---

  allSources(): StoredSource[] {
    return this.statements.allSources.all();
  }

  source(id: string): StoredSource | undefined {
    return this.statements.source.get({ id });
  }

  /** A good body arrived (200): keep it; `changed_at` moves only when the body differs. */
  saveFresh(id: string, copy: { body: string; etag: string | null; lastModified: string | null; asOf: number | null }, now: number): StoredSource {
    this.statements.saveFresh.run({ id, ...copy, now });
    return this.statements.source.one({ id });
  }

  /** The source answered 304: the copy is still current. */
  saveNotModified(id: string, now: number): void {
    this.statements.saveNotModified.run({ id, now });
  }

  /** A failed attempt (network, HTTP error, unreadable body): the last good copy stays. */
  saveFailure(id: string, error: string, now: number): StoredSource {
    this.sqlite.transaction(() => {
      this.statements.saveFailure.run({ id, error: error.slice(0, 500), now });
      this.statements.recordFailure.run({ id, now });
    })();
    return this.statements.source.one({ id });
  }

  /** Failed reads per source since `since` (the sources screen's "failures in the last day"). */
  failuresSince(since: number): Map<string, number> {
    return new Map(this.statements.failuresSince.all({ since }).map((row) => [row.source_id, Number(row.failures)]));
  }

  // --- the published plans, kept per day after the copy drops them ---

  /**
   * Keeps what a copy publishes for each queue and day (plans and emergency days; days still
   * waiting or unreadable are not a plan and are not kept), replacing an earlier version of the
   * same day. One transaction per copy.
   */
  recordDays(sourceId: string, days: Record<string, readonly DayEntry[]>, now: number): void {
    this.sqlite.transaction(() => {
      for (const [queue, entries] of Object.entries(days)) {
        for (const entry of entries) {
          if (entry.status === 'plan') this.statements.recordDay.run({ sourceId, queue, day: entry.day, status: 'plan', intervals: encodeIntervals(entry.intervals), now });
          else if (entry.status === 'emergency') this.statements.recordDay.run({ sourceId, queue, day: entry.day, status: 'emergency', intervals: '[]', now });
        }
      }
    })();
  }

  /** The kept days of a source between two local days (inclusive), by day then queue. */
  publishedDays(sourceId: string, from: string, to: string): { queue: string; day: string; status: 'plan' | 'emergency'; intervals: PlanInterval[] }[] {
    return this.statements.daysOf.all({ sourceId, from, to }).map((row) => ({ queue: row.queue, day: row.day, status: row.status, intervals: decodeIntervals(row.intervals) }));
  }

  // --- what the admins and chats were told, once each ---

  /** Records a hint about a place's queue; false when it was already given (do not tell again). */
  markHint(placeId: number, kind: 'suggest' | 'none' | 'better', queue: string, now: number): boolean {
    return this.statements.markHint.run({ placeId, kind, queue, now }).changes === 1;
  }

  hintsOf(placeId: number): { kind: 'suggest' | 'none' | 'better'; queue: string; told_at: number }[] {
    return this.statements.hintsOf.all({ placeId });
  }

  /** The emergency state last announced in the place's chat; undefined when none was ever announced. */
  emergencyTold(placeId: number): boolean | undefined {
    const row = this.statements.emergencyTold.get({ placeId });
    return row ? row.emergency === 1 : undefined;
  }

  tellEmergency(placeId: number, emergency: boolean, now: number): void {
    this.statements.tellEmergency.run({ placeId, emergency: emergency ? 1 : 0, now });
  }

  /** Source ids some place follows: the ones worth polling. */
  sourcesInUse(): string[] {
    return this.places.scheduleSourcesInUse();
  }

  // --- places ---

  placeSchedule(placeId: number): PlaceSchedule | undefined {
    const row = this.places.scheduleOf(placeId);
    return row && toPlaceSchedule(row);
  }

  placesOnSchedule(): PlaceSchedule[] {
    return this.places.onSchedule().map(toPlaceSchedule);
  }

  /**
   * Attaches a place to a source and queue (validate with checkPlaceSchedule first), or detaches
   * it with null. What it was told about another queue is forgotten, so no bogus change post follows.
   */
  setPlaceSchedule(placeId: number, schedule: { source: string; queue: string } | null): boolean {
    return this.sqlite.transaction(() => {
      const before = this.places.scheduleOf(placeId);
      if (!before) return false;
      if (before.schedule_source !== (schedule?.source ?? null) || before.schedule_queue !== (schedule?.queue ?? null)) {
        this.statements.forgetTold.run({ placeId });
      }
      this.places.setSchedule(placeId, schedule?.source ?? null, schedule?.queue ?? null);
      return true;
    })();
  }

  /** The place is in this source's region but its queue is not known (the record will tell). */
  setPlaceRegion(placeId: number, source: string): boolean {
    return this.sqlite.transaction(() => {
      const before = this.places.scheduleOf(placeId);
      if (!before) return false;
      if (before.schedule_queue !== null) this.statements.forgetTold.run({ placeId });
      this.places.setSchedule(placeId, source, null);
      return true;
    })();
  }

  setWarnMinutes(placeId: number, minutes: WarnMinutes): boolean {
    return this.places.setScheduleWarnMinutes(placeId, minutes);
  }

  setPostTomorrow(placeId: number, on: boolean): boolean {
    return this.places.setSchedulePostTomorrow(placeId, on);
  }

  // --- what each place was told ---

  /** The version of `day`'s plan the place was last told about (or first saw); undefined if none. */
  toldPlan(placeId: number, day: string): PlanInterval[] | undefined {
    const row = this.statements.told.get({ placeId, day });
    return row ? decodeIntervals(row.intervals) : undefined;
  }

  rememberTold(placeId: number, day: string, intervals: readonly PlanInterval[], now: number): void {
    this.statements.remember.run({ placeId, day, intervals: encodeIntervals(intervals), now });
  }

  /** Records a warning about the planned start; false when it was already given (do not post again). */
  markWarned(placeId: number, startsAt: number, now: number): boolean {
    return this.statements.markWarned.run({ placeId, startsAt, now }).changes === 1;
  }

  // --- history: planned outages that did not happen ---

  /** False when that planned outage is already recorded for the place. */
  recordSkip(placeId: number, interval: Pick<PlanInterval, 'start' | 'end'>, sourceId: string, queue: string, now: number): boolean {
    return this.statements.recordSkip.run({ placeId, start: interval.start, end: interval.end, sourceId, queue, now }).changes === 1;
  }

  /** Skips overlapping [from, to), oldest first. */
  skipsBetween(placeId: number, from: number, to: number): ScheduleSkipRow[] {
    return this.statements.skipsBetween.all({ placeId, from, to });
  }

  /**
   * Drops bookkeeping older than `before` (told versions, given warnings, published days not seen
   * since, failed reads); the skips are history and stay, and so do the hints and emergency states
   * told (one row per place).
   */
  pruneBefore(before: number): number {
    return (
      this.statements.pruneTold.run({ before }).changes +
      this.statements.pruneWarnings.run({ before }).changes +
      this.statements.pruneDays.run({ before }).changes +
      this.statements.pruneFailures.run({ before }).changes
    );
  }
}

function toPlaceSchedule(row: PlaceScheduleColumns): PlaceSchedule {
  const attached = row.schedule_source !== null && row.schedule_queue !== null;
  return {
    placeId: row.id,
    source: attached ? row.schedule_source : null,
    queue: attached ? row.schedule_queue : null,
    region: row.schedule_source,
    warnMinutes: row.schedule_warn_min as WarnMinutes,
    postTomorrow: row.schedule_post_tomorrow === 1,
  };
}

function encodeIntervals(intervals: readonly PlanInterval[]): string {
  return JSON.stringify(intervals.map((i) => [i.start, i.end, i.kind]));
}

function decodeIntervals(text: string): PlanInterval[] {
  const rows = JSON.parse(text) as [number, number, PlanKind][];
  return rows.map(([start, end, kind]) => ({ start, end, kind }));
}
