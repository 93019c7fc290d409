import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { ScheduleSkipsTable, ScheduleSourcesTable } from '../db/schema.js';
import type { WarnMinutes } from './place-schedule.js';
import type { PlanInterval, PlanKind } from './plan.js';

export type StoredSource = Selectable<ScheduleSourcesTable>;
export type ScheduleSkipRow = Selectable<ScheduleSkipsTable>;

/** A place's schedule settings (source and queue are null together when it follows none). */
export interface PlaceSchedule {
  locationId: number;
  source: string | null;
  queue: string | null;
  warnMinutes: WarnMinutes;
  postTomorrow: boolean;
}

interface PlaceRow {
  id: number;
  schedule_source: string | null;
  schedule_queue: string | null;
  schedule_warn_min: number;
  schedule_post_tomorrow: number;
}

/**
 * The one owner of the schedule tables (schedule_sources, schedule_told, schedule_warnings,
 * schedule_skips) and of the schedule_* columns of locations. Main thread only (the only writer).
 */
export class ScheduleStore {
  private readonly statements;

  constructor(private readonly sqlite: SqliteDatabase.Database) {
    this.statements = {
      allSources: sqlite.prepare<[], StoredSource>('SELECT * FROM schedule_sources ORDER BY source_id'),
      source: sqlite.prepare<[string], StoredSource>('SELECT * FROM schedule_sources WHERE source_id = ?'),
      saveFresh: sqlite.prepare<{ id: string; body: string; etag: string | null; lastModified: string | null; asOf: number | null; now: number }>(
        `INSERT INTO schedule_sources (source_id, body, etag, last_modified, as_of, fetched_at, changed_at, failures, last_error, last_attempt_at)
         VALUES (@id, @body, @etag, @lastModified, @asOf, @now, @now, 0, NULL, @now)
         ON CONFLICT (source_id) DO UPDATE SET
           changed_at = CASE WHEN schedule_sources.body IS excluded.body THEN schedule_sources.changed_at ELSE excluded.changed_at END,
           body = excluded.body, etag = excluded.etag, last_modified = excluded.last_modified, as_of = excluded.as_of,
           fetched_at = excluded.fetched_at, failures = 0, last_error = NULL, last_attempt_at = excluded.last_attempt_at`,
      ),
      saveNotModified: sqlite.prepare<{ id: string; now: number }>(
        'UPDATE schedule_sources SET fetched_at = @now, failures = 0, last_error = NULL, last_attempt_at = @now WHERE source_id = @id',
      ),
      saveFailure: sqlite.prepare<{ id: string; error: string; now: number }>(
        `INSERT INTO schedule_sources (source_id, failures, last_error, last_attempt_at) VALUES (@id, 1, @error, @now)
         ON CONFLICT (source_id) DO UPDATE SET failures = schedule_sources.failures + 1, last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at`,
      ),
      sourcesInUse: sqlite.prepare<[], { source: string }>(
        'SELECT DISTINCT schedule_source AS source FROM locations WHERE schedule_source IS NOT NULL ORDER BY schedule_source',
      ),
      place: sqlite.prepare<[number], PlaceRow>('SELECT id, schedule_source, schedule_queue, schedule_warn_min, schedule_post_tomorrow FROM locations WHERE id = ?'),
      placesOnSchedule: sqlite.prepare<[], PlaceRow>(
        'SELECT id, schedule_source, schedule_queue, schedule_warn_min, schedule_post_tomorrow FROM locations WHERE schedule_source IS NOT NULL ORDER BY id',
      ),
      setSchedule: sqlite.prepare<[string | null, string | null, number]>('UPDATE locations SET schedule_source = ?, schedule_queue = ? WHERE id = ?'),
      forgetTold: sqlite.prepare<[number]>('DELETE FROM schedule_told WHERE location_id = ?'),
      setWarn: sqlite.prepare<[number, number]>('UPDATE locations SET schedule_warn_min = ? WHERE id = ?'),
      setPostTomorrow: sqlite.prepare<[number, number]>('UPDATE locations SET schedule_post_tomorrow = ? WHERE id = ?'),
      told: sqlite.prepare<[number, string], { intervals: string }>('SELECT intervals FROM schedule_told WHERE location_id = ? AND day = ?'),
      remember: sqlite.prepare<[number, string, string, number]>(
        `INSERT INTO schedule_told (location_id, day, intervals, told_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (location_id, day) DO UPDATE SET intervals = excluded.intervals, told_at = excluded.told_at`,
      ),
      markWarned: sqlite.prepare<[number, number, number]>('INSERT OR IGNORE INTO schedule_warnings (location_id, starts_at, warned_at) VALUES (?, ?, ?)'),
      recordSkip: sqlite.prepare<[number, number, number, string, string, number]>(
        'INSERT OR IGNORE INTO schedule_skips (location_id, starts_at, ends_at, source_id, queue, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      skipsBetween: sqlite.prepare<[number, number, number], ScheduleSkipRow>(
        'SELECT * FROM schedule_skips WHERE location_id = ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at',
      ),
      pruneTold: sqlite.prepare<[number]>('DELETE FROM schedule_told WHERE told_at < ?'),
      pruneWarnings: sqlite.prepare<[number]>('DELETE FROM schedule_warnings WHERE starts_at < ?'),
    };
  }

  // --- sources: the last good copy and how fetching goes ---

  allSources(): StoredSource[] {
    return this.statements.allSources.all();
  }

  source(id: string): StoredSource | undefined {
    return this.statements.source.get(id);
  }

  /** A good body arrived (200): keep it; `changed_at` moves only when the body differs. */
  saveFresh(id: string, copy: { body: string; etag: string | null; lastModified: string | null; asOf: number | null }, now: number): StoredSource {
    this.statements.saveFresh.run({ id, ...copy, now });
    return this.source(id)!;
  }

  /** The source answered 304: the copy is still current. */
  saveNotModified(id: string, now: number): void {
    this.statements.saveNotModified.run({ id, now });
  }

  /** A failed attempt (network, HTTP error, unreadable body): the last good copy stays. */
  saveFailure(id: string, error: string, now: number): StoredSource {
    this.statements.saveFailure.run({ id, error: error.slice(0, 500), now });
    return this.source(id)!;
  }

  /** Source ids some place follows: the ones worth polling. */
  sourcesInUse(): string[] {
    return this.statements.sourcesInUse.all().map((r) => r.source);
  }

  // --- places ---

  placeSchedule(locationId: number): PlaceSchedule | undefined {
    const row = this.statements.place.get(locationId);
    return row && toPlaceSchedule(row);
  }

  placesOnSchedule(): PlaceSchedule[] {
    return this.statements.placesOnSchedule.all().map(toPlaceSchedule);
  }

  /**
   * Attaches a place to a source and queue (validate with checkPlaceSchedule first), or detaches
   * it with null. What it was told about another queue is forgotten, so no bogus change post follows.
   */
  setPlaceSchedule(locationId: number, schedule: { source: string; queue: string } | null): boolean {
    return this.sqlite.transaction(() => {
      const before = this.statements.place.get(locationId);
      if (!before) return false;
      if (before.schedule_source !== (schedule?.source ?? null) || before.schedule_queue !== (schedule?.queue ?? null)) {
        this.statements.forgetTold.run(locationId);
      }
      this.statements.setSchedule.run(schedule?.source ?? null, schedule?.queue ?? null, locationId);
      return true;
    })();
  }

  setWarnMinutes(locationId: number, minutes: WarnMinutes): boolean {
    return this.statements.setWarn.run(minutes, locationId).changes === 1;
  }

  setPostTomorrow(locationId: number, on: boolean): boolean {
    return this.statements.setPostTomorrow.run(on ? 1 : 0, locationId).changes === 1;
  }

  // --- what each place was told ---

  /** The version of `day`'s plan the place was last told about (or first saw); undefined if none. */
  toldPlan(locationId: number, day: string): PlanInterval[] | undefined {
    const row = this.statements.told.get(locationId, day);
    return row ? decodeIntervals(row.intervals) : undefined;
  }

  rememberTold(locationId: number, day: string, intervals: readonly PlanInterval[], now: number): void {
    this.statements.remember.run(locationId, day, encodeIntervals(intervals), now);
  }

  /** Records a warning about the planned start; false when it was already given (do not post again). */
  markWarned(locationId: number, startsAt: number, now: number): boolean {
    return this.statements.markWarned.run(locationId, startsAt, now).changes === 1;
  }

  // --- history: planned outages that did not happen ---

  /** False when that planned outage is already recorded for the place. */
  recordSkip(locationId: number, interval: Pick<PlanInterval, 'start' | 'end'>, sourceId: string, queue: string, now: number): boolean {
    return this.statements.recordSkip.run(locationId, interval.start, interval.end, sourceId, queue, now).changes === 1;
  }

  /** Skips overlapping [from, to), oldest first. */
  skipsBetween(locationId: number, from: number, to: number): ScheduleSkipRow[] {
    return this.statements.skipsBetween.all(locationId, to, from);
  }

  /** Drops bookkeeping older than `before` (told versions, given warnings); the skips are history and stay. */
  pruneBefore(before: number): number {
    return this.statements.pruneTold.run(before).changes + this.statements.pruneWarnings.run(before).changes;
  }
}

function toPlaceSchedule(row: PlaceRow): PlaceSchedule {
  const attached = row.schedule_source !== null && row.schedule_queue !== null;
  return {
    locationId: row.id,
    source: attached ? row.schedule_source : null,
    queue: attached ? row.schedule_queue : null,
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
