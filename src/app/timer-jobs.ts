import type { SyncDatabase } from '../db/sync-database.js';
import type { Clock } from '../clock.js';
import { FaultEpisodes } from '../db/storage-faults.js';
import type { Logger } from '../logger.js';
import { pruneOldRows, type PruningOwners } from '../ops/retention.js';
import type { PlaceAlerts } from '../people/place-alerts.js';
import type { ScheduleStore } from '../schedules/schedule-store.js';

/** Daily: old finished rows are dropped (see src/ops/retention.ts). */
export const RETENTION_EVERY_MS = 24 * 3600_000;
/** How often snoozes that ran out are ended (their summary queued), even for a quiet place. */
export const SNOOZE_CHECK_EVERY_MS = 15_000;

/** The service's own periodic chores, each safe to call at any time (a failure is logged, not thrown). */
export interface TimerJobs {
  /** Drops finished outbox rows and bookkeeping past their retention. */
  pruneOldRows(): void;
  /** Ends the snoozes that ran out, so a place that stayed quiet gets its summary on time too; how many ended. */
  endDueSnoozes(): number;
}

export interface TimerJobsDeps {
  sqlite: SyncDatabase;
  /** The owners whose old rows are pruned: the outbox's, the diagrams', the schedules'. */
  pruning: Required<Pick<PruningOwners, 'outbox' | 'diagrams' | 'updates'>> & { schedules: Pick<ScheduleStore, 'pruneBefore'> };
  alerts: Pick<PlaceAlerts, 'endDueSnoozes'>;
  wakeOutbox: () => void;
  clock: Clock;
  logger: Logger;
}

export function createTimerJobs({ sqlite, pruning, alerts, wakeOutbox, clock, logger }: TimerJobsDeps): TimerJobs {
  // The timers' storage faults, logged once per episode rather than at every tick.
  const faults = new FaultEpisodes(logger);
  return {
    pruneOldRows() {
      try {
        const pruned = pruneOldRows(sqlite, clock.now(), {}, pruning);
        if (pruned.outbox + pruned.diagramMessages + (pruned.scheduleBookkeeping ?? 0) > 0) logger.info(pruned, 'old rows pruned');
        faults.succeeded('retention', clock.now());
      } catch (error) {
        faults.failed('retention', error, clock.now(), 'pruning old rows failed');
      }
    },
    endDueSnoozes() {
      try {
        const ended = alerts.endDueSnoozes(clock.now());
        if (ended > 0) wakeOutbox();
        faults.succeeded('snooze ends', clock.now());
        return ended;
      } catch (error) {
        faults.failed('snooze ends', error, clock.now(), 'ending snoozes failed; will try again');
        return 0;
      }
    },
  };
}

/** Runs `job` every `everyMs` without keeping the process alive for it; the returned function stops it. */
export function repeat(job: () => unknown, everyMs: number): () => void {
  const timer = setInterval(job, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
