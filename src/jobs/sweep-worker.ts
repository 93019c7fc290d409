import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { openReadOnly } from '../db/read-only.js';

/**
 * The timeout sweep: ONE long-lived worker (a worker per run costs 0.1–0.2 s to start) that
 * watches the deadlines with a read-only connection and posts the ids whose deadline passed. The
 * main thread re-checks each id against its own clock and commits the transition with its outbox
 * row. It sleeps until the next deadline, at most `maxSleepMs`, so an expiry is seen within that.
 */
interface SweepWorkerData {
  databasePath: string;
  maxSleepMs: number;
}

export type SweepMessage = { type: 'expired'; ids: number[] };

const { databasePath, maxSleepMs } = workerData as SweepWorkerData;
const sqlite = openReadOnly(databasePath);
const expiredQuery = sqlite.prepare<[number], { id: number; deadline_at: number }>(
  'SELECT id, deadline_at FROM locations WHERE deadline_at IS NOT NULL AND deadline_at <= ? AND paused = 0 ORDER BY deadline_at LIMIT 2000',
);
const nextDeadlineQuery = sqlite.prepare<[], { next: number | null }>(
  'SELECT min(deadline_at) AS next FROM locations WHERE deadline_at IS NOT NULL AND paused = 0',
);

let cancelled = false;
parentPort?.on('message', (message: unknown) => {
  if (message === 'cancel') cancelled = true;
});

/**
 * Ids already reported for a given deadline are not reported again while the main thread handles
 * them; if one is still there after a few seconds it is reported again (never silently dropped).
 */
const reported = new Map<number, { deadline: number; at: number }>();
const REPORT_AGAIN_AFTER_MS = 5_000;

while (!cancelled) {
  const now = Date.now();
  const due = expiredQuery.all(now).filter((row) => {
    const previous = reported.get(row.id);
    return !previous || previous.deadline !== row.deadline_at || now - previous.at > REPORT_AGAIN_AFTER_MS;
  });
  if (due.length > 0) {
    for (const row of due) reported.set(row.id, { deadline: row.deadline_at, at: now });
    parentPort?.postMessage({ type: 'expired', ids: due.map((row) => row.id) } satisfies SweepMessage);
  }
  if (reported.size > 10_000) reported.clear();
  const next = nextDeadlineQuery.get()?.next ?? null;
  const wait = next === null ? maxSleepMs : Math.min(maxSleepMs, Math.max(20, next - Date.now()));
  await sleep(wait);
}

// Exit on our own with code 0 (a terminate() from Bree would count as a failure, code 1).
sqlite.close();
process.exit(0);
