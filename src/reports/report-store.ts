import type SqliteDatabase from 'better-sqlite3';
import type { ReportKind } from '../db/schema.js';
import { queryBuilder, SyncQueries } from '../db/sync-query.js';
import { PlaceStore } from '../places/place-store.js';

/**
 * The one owner of `report_posts`: which report of which period was queued for each place.
 * A report's outbox rows are queued in the same transaction as its row here, so "queued" and
 * "remembered as queued" cannot part: a restart neither loses a report nor queues it twice.
 */
export class ReportStore {
  private readonly queries: SyncQueries;

  constructor(
    sqlite: SqliteDatabase.Database,
    /** The places' owner: whether a place exists. */
    private readonly locations: PlaceStore = new PlaceStore(sqlite),
  ) {
    this.queries = new SyncQueries(sqlite);
  }

  /**
   * Remembers that the place's report of `period` is queued now; false when it already was, or
   * when the place no longer exists (then nothing is written).
   */
  claim(placeId: number, kind: ReportKind, period: string, now: number): boolean {
    // Called inside the caller's transaction, so the place cannot vanish between the two.
    if (!this.locations.exists(placeId)) return false;
    const { changes } = this.queries.run(
      queryBuilder
        .insertInto('report_posts')
        .values({ location_id: placeId, kind, period, queued_at: now })
        .onConflict((conflict) => conflict.doNothing()),
    );
    return changes > 0;
  }

  /** Whether the place's report of `period` was queued (for tools and tests). */
  wasQueued(placeId: number, kind: ReportKind, period: string): boolean {
    const row = this.queries.first(
      queryBuilder.selectFrom('report_posts').select('queued_at').where('location_id', '=', placeId).where('kind', '=', kind).where('period', '=', period),
    );
    return row !== undefined;
  }

  /** Forgets what was queued before `before`: long past any catch-up, so it can never be asked again. */
  pruneBefore(before: number): number {
    return this.queries.run(queryBuilder.deleteFrom('report_posts').where('queued_at', '<', before)).changes;
  }

  /** Runs `work` in one transaction (joins the caller's when there is one). */
  transaction<T>(work: () => T): T {
    return this.queries.transaction(work);
  }
}
