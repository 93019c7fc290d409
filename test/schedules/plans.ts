import { parseSchedule } from '../../src/schedules/parse-schedule.js';
import { buildQueuePlan, freshnessRules, type FetchRecord, type QueuePlan, type SourceCopy } from '../../src/schedules/queue-plan.js';
import type { ScheduleFormat } from '../../src/schedules/snapshot.js';
import { fixture, MIN, ZONE } from './fixture.js';

export const POLL_MS = 15 * MIN;
export const RULES = freshnessRules(POLL_MS);
export const HEALTHY: FetchRecord = { failures: 0, lastError: null, lastAttemptAt: null };

/** A fresh copy of a fixture, fetched five minutes before `now`. */
export function copyOf(name: string, now: number): SourceCopy {
  const format: ScheduleFormat = name.startsWith('yasno') ? 'yasno' : 'gpv';
  return { snapshot: parseSchedule(format, fixture(name), ZONE), fetchedAt: now - 5 * MIN, changedAt: now - 5 * MIN };
}

/** The queue's plan from a fixture as the poller would give it at `now`. */
export function planOf(name: string, queue: string, now: number): QueuePlan {
  return buildQueuePlan(copyOf(name, now), HEALTHY, queue, now, RULES);
}
