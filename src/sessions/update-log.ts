import type { Clock } from '../clock.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { isStorageFault } from '../db/storage-faults.js';
import { queryBuilder } from '../db/sync-query.js';
import type { SyncDatabase } from '../db/sync-database.js';

const plans = {
  take: statementPlan((p: { updateId: number; now: number }) =>
    queryBuilder
      .insertInto('telegram_updates')
      .values({ update_id: p.updateId, seen_at: p.now })
      .onConflict((oc) => oc.column('update_id').doNothing()),
  ),
  prune: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('telegram_updates').where('seen_at', '<', p.before)),
};

/** Telegram retries an unanswered webhook update for hours at most; two days is ample. */
export const UPDATE_MEMORY_MS = 2 * 86_400_000;

/**
 * The updates already taken, by Telegram's update_id (the `telegram_updates` table). With several
 * instances behind one address, Telegram's retry of an update (the first instance answered too
 * late, or died while answering) may reach another instance: the first to record the id acts on
 * it, and the others drop it. Under long polling (the leader alone) it only ever says "first".
 */
export class UpdateLog {
  private readonly statements;

  constructor(
    sqlite: SyncDatabase,
    private readonly clock: Clock,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /**
   * True when this update is seen for the first time (now recorded). While storage fails the
   * update is acted on anyway: a rare duplicate is better than an admin's command lost.
   */
  firstTime(updateId: number): boolean {
    try {
      return this.statements.take.run({ updateId, now: this.clock.now() }).changes === 1;
    } catch (error) {
      if (isStorageFault(error)) return true;
      throw error;
    }
  }

  /** Forgets updates older than UPDATE_MEMORY_MS; returns how many. */
  prune(now: number): number {
    return this.statements.prune.run({ before: now - UPDATE_MEMORY_MS }).changes;
  }
}
