import type { SyncDatabase } from '../db/sync-database.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import type { ReportKind } from '../db/schema.js';
import { queryBuilder, transaction } from '../db/sync-query.js';
import type { PlaceStore } from '../places/place-store.js';

const plans = {
  claim: statementPlan((p: { placeId: number; kind: ReportKind; period: string; now: number }) =>
    queryBuilder
      .insertInto('report_posts')
      .values({ location_id: p.placeId, kind: p.kind, period: p.period, queued_at: p.now })
      .onConflict((conflict) => conflict.doNothing()),
  ),
  queuedAt: statementPlan((p: { placeId: number; kind: ReportKind; period: string }) =>
    queryBuilder.selectFrom('report_posts').select('queued_at').where('location_id', '=', p.placeId).where('kind', '=', p.kind).where('period', '=', p.period),
  ),
  prune: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('report_posts').where('queued_at', '<', p.before)),
};

/**
 * The one owner of `report_posts`: which report of which period was queued for each place.
 * A report's outbox rows are queued in the same transaction as its row here, so "queued" and
 * "remembered as queued" cannot part: a restart neither loses a report nor queues it twice.
 */
export class ReportStore {
  private readonly statements;

  constructor(
    private readonly sqlite: SyncDatabase,
    /** The places' owner: whether a place exists. */
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /**
   * Remembers that the place's report of `period` is queued now; false when it already was, or
   * when the place no longer exists (then nothing is written).
   */
  claim(placeId: number, kind: ReportKind, period: string, now: number): boolean {
    // Called inside the caller's transaction, so the place cannot vanish between the two.
    if (!this.places.exists(placeId)) return false;
    return this.statements.claim.run({ placeId, kind, period, now }).changes > 0;
  }

  /** Whether the place's report of `period` was queued (for tools and tests). */
  wasQueued(placeId: number, kind: ReportKind, period: string): boolean {
    return this.statements.queuedAt.get({ placeId, kind, period }) !== undefined;
  }

  /** Forgets what was queued before `before`: long past any catch-up, so it can never be asked again. */
  pruneBefore(before: number): number {
    return this.statements.prune.run({ before }).changes;
  }

  /** Runs `work` in one transaction (joins the caller's when there is one). */
  transaction<T>(work: () => T): T {
    return transaction(this.sqlite, work);
  }
}
