import type { UpdateLog } from '../sessions/update-log.js';
import type { SyncDatabase } from '../db/sync-database.js';
import { DiagramStore } from '../diagram/diagram-store.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import { PlaceStore } from '../places/place-store.js';
import type { ScheduleStore } from '../schedules/schedule-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionLimits {
  /** Delivered messages are kept this long after delivery (for "what did we post?" questions). */
  deliveredOutboxDays?: number;
  /** Messages that gave up are kept longer: they are what an admin looks at to see why. */
  failedOutboxDays?: number;
  /** Records of old daily diagram posts (no longer pinned, never edited again). */
  diagramMessageDays?: number;
  /** What places were told about each day's plan, and which warnings were given (see ScheduleStore.pruneBefore). */
  scheduleBookkeepingDays?: number;
}

export interface PruneResult {
  /** Outbox rows deleted. */
  outbox: number;
  /** diagram_messages rows deleted. */
  diagramMessages: number;
  /** Old schedule bookkeeping rows deleted (when the schedule store is given). */
  scheduleBookkeeping?: number;
  /** Webhook update ids forgotten (when the update log is given). */
  telegramUpdates?: number;
}

/** The tables' owners that prune them (outbox and diagram posts default to ones on `sqlite`). */
export interface PruningOwners {
  outbox?: Pick<OutboxStore, 'prune'>;
  diagrams?: Pick<DiagramStore, 'pruneMessages'>;
  schedules?: Pick<ScheduleStore, 'pruneBefore'>;
  updates?: Pick<UpdateLog, 'prune'>;
}

/**
 * Deletes rows that only ever grow and stop being useful: finished outbox messages older than
 * their limit, records of old diagram posts that are no longer pinned, and the schedule's
 * bookkeeping of days long past. Pending messages are never touched, however old. Meant to run
 * once a day.
 *
 * There is nothing else to prune: no table keeps a row per heartbeat (DESIGN §3). A heartbeat
 * only updates its place's row; history is the `power_events` intervals, which grow with power
 * changes and are the product's data (diagrams, CSV export), so they are kept; so are the
 * records of planned outages that did not happen (schedule_skips), history too. Each table is
 * pruned by its owner; this only decides when and keeps it to one transaction.
 */
export function pruneOldRows(
  sqlite: SyncDatabase,
  now: number,
  limits: RetentionLimits = {},
  owners: PruningOwners = {},
): PruneResult {
  const deliveredDays = validDays(limits.deliveredOutboxDays ?? 30, 'deliveredOutboxDays');
  const failedDays = validDays(limits.failedOutboxDays ?? 90, 'failedOutboxDays');
  const deliveredBefore = now - deliveredDays * DAY_MS;
  const failedBefore = now - failedDays * DAY_MS;
  const diagramsBefore = now - validDays(limits.diagramMessageDays ?? 30, 'diagramMessageDays') * DAY_MS;
  // Plans are compared for today and tomorrow only: two weeks of bookkeeping is plenty.
  const scheduleBefore = now - validDays(limits.scheduleBookkeepingDays ?? 14, 'scheduleBookkeepingDays') * DAY_MS;
  const outbox = owners.outbox ?? new OutboxStore(sqlite);
  const diagrams = owners.diagrams ?? new DiagramStore(sqlite, new OutboxStore(sqlite), new PlaceStore(sqlite));
  const prune = sqlite.transaction(() => {
    const result: PruneResult = { outbox: outbox.prune(deliveredBefore, failedBefore), diagramMessages: diagrams.pruneMessages(diagramsBefore) };
    if (owners.schedules) result.scheduleBookkeeping = owners.schedules.pruneBefore(scheduleBefore);
    if (owners.updates) result.telegramUpdates = owners.updates.prune(now);
    return result;
  });
  return prune.immediate();
}

function validDays(days: number, name: string): number {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`${name} must be a positive number of days, got ${days}`);
  return days;
}
