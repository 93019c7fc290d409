import { setTimeout as sleep } from 'node:timers/promises';
import { prepareStatement } from '../db/prepared-statement.js';
import { openReader, type DatabaseTarget } from '../db/read-only.js';
import type { SweepPlans } from '../places/place-store.js';
import { exitWorker, parentChannel } from './worker-channel.js';

/**
 * The timeout sweep: ONE long-lived worker (a worker per run costs 0.1–0.2 s to start) that
 * watches the deadlines with a read-only connection and posts the ids whose deadline passed. The
 * main thread re-checks each id against its own clock and commits the transition with its outbox
 * row. It sleeps until the next deadline, at most `maxSleepMs`, so an expiry is seen within that.
 * Its queries are the locations owner's, compiled on the main thread (this isolate stays free of
 * Kysely) and prepared here on the read-only connection.
 */
export interface SweepWorkerData {
  database: DatabaseTarget;
  maxSleepMs: number;
  plans: SweepPlans;
}

/** Places reported per look: more than a sweep of the main thread takes in one go. */
const EXPIRED_PER_LOOK = 2000;

export type SweepMessage = { type: 'expired'; ids: number[] } | { type: 'error'; error: string };

const parent = parentChannel<SweepWorkerData, never, SweepMessage>();
const { database, maxSleepMs, plans } = parent.data;
const sqlite = await openReader(database);
const expiredQuery = prepareStatement(sqlite, plans.expired);
const nextDeadlineQuery = prepareStatement(sqlite, plans.nextDeadline);

let cancelled = false;
parent.onCancel(() => (cancelled = true));

/**
 * Ids already reported for a given deadline are not reported again while the main thread handles
 * them; if one is still there after a few seconds it is reported again (never silently dropped).
 */
const reported = new Map<number, { deadline: number; at: number }>();
const REPORT_AGAIN_AFTER_MS = 5_000;

/** A read that fails (an I/O error, a damaged file) is reported once and tried again after this. */
const RETRY_AFTER_ERROR_MS = 1_000;
let lastError: string | null = null;

while (!cancelled) {
  let wait = maxSleepMs;
  try {
    wait = sweepOnce();
    lastError = null;
  } catch (error) {
    const text = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
    if (text !== lastError) parent.post({ type: 'error', error: text });
    lastError = text;
    wait = RETRY_AFTER_ERROR_MS;
  }
  await sleep(wait);
}

/** Reports what expired; returns how long to sleep before looking again. */
function sweepOnce(): number {
  const now = Date.now();
  const due = expiredQuery.all({ now, limit: EXPIRED_PER_LOOK }).filter((row) => {
    const previous = reported.get(row.id);
    return !previous || previous.deadline !== row.deadline_at || now - previous.at > REPORT_AGAIN_AFTER_MS;
  });
  if (due.length > 0) {
    for (const row of due) reported.set(row.id, { deadline: row.deadline_at, at: now });
    parent.post({ type: 'expired', ids: due.map((row) => row.id) });
  }
  if (reported.size > 10_000) reported.clear();
  const next = nextDeadlineQuery.get()?.next ?? null;
  return next === null ? maxSleepMs : Math.min(maxSleepMs, Math.max(20, next - Date.now()));
}

exitWorker(() => sqlite.close());
