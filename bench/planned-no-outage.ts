// The history of planned outages that did not happen: what one pass of the recorder costs the
// main thread (it runs every 15 min and after each poll) with every place on a schedule.
//   npm run bench:planned-no-outage [-- --places 10000]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { openStore } from '../src/db/connection.js';
import { PlaceService } from '../src/places/place-service.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { Monitor } from '../src/monitor/monitor.js';
import { PowerStore } from '../src/monitor/power-store.js';
import { parseSchedule } from '../src/schedules/parse-schedule.js';
import { buildQueuePlan, freshnessRules } from '../src/schedules/queue-plan.js';
import { ScheduleStore } from '../src/schedules/schedule-store.js';
import { SkipRecorder } from '../src/schedules/skip-recorder.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedWatchedPlaces } from './support/seed.js';
import { standaloneOwners } from '../src/monitor/standalone-owners.js';

const { values } = parseArgs({ options: { places: { type: 'string', default: '10000' } } });
const places = Number(values.places);
const ZONE = 'Europe/Kyiv';
const QUEUES = Array.from({ length: 12 }, (_, i) => `GPV${Math.floor(i / 2) + 1}.${(i % 2) + 1}`);
// 18:00 local on the second of two days: both days' planned outages so far are over.
const now = DateTime.fromISO('2026-11-21T18:00', { zone: ZONE }).toMillis();

function gpvFile(): string {
  const day = (iso: string) => String(DateTime.fromISO(iso, { zone: ZONE }).toSeconds());
  // Each queue: three planned blocks a day (the usual pattern), shifted by queue.
  const hours = (q: number) => Object.fromEntries(Array.from({ length: 24 }, (_, h) => [String(h + 1), (h + q) % 8 < 2 ? 'no' : 'yes']));
  const queues = Object.fromEntries(QUEUES.map((id, q) => [id, hours(q)]));
  return JSON.stringify({ fact: { data: { [day('2026-11-20')]: queues, [day('2026-11-21')]: queues }, update: '21.11.2026 12:00' } });
}

const dir = tempDir('bench-skips-');
const store = await openStore(dir.file('monitor.db'));
const logger = createLogger({ level: 'silent', pretty: false });
const clock = { now: () => now };
// Places on since three days ago, heartbeating now: every planned outage so far is one that did not happen.
seedWatchedPlaces(store.sqlite, places, now);
store.sqlite.prepare('UPDATE power_events SET started_at = ?').run(now - 3 * 86_400_000);
const owners = standaloneOwners(store.sqlite);
const schedules = new ScheduleStore(store.sqlite, owners.places);
store.sqlite.transaction(() => {
  for (let id = 1; id <= places; id += 1) schedules.setPlaceSchedule(id, { source: 'bench', queue: QUEUES[id % QUEUES.length]! });
})();
const powerStore = new PowerStore(store.sqlite, owners);
const monitor = new Monitor({ store: powerStore, owners, clock, logger, metrics: createMetrics(() => ({})) });
const placeService = new PlaceService(owners, monitor, clock);
const copy = { snapshot: parseSchedule('gpv', gpvFile(), ZONE), fetchedAt: now, changedAt: now };
const rules = freshnessRules(15 * 60_000);
const record = { failures: 0, lastError: null, lastAttemptAt: now };
const recorderOf = () => new SkipRecorder({ store: schedules, plan: (_s, queue) => buildQueuePlan(copy, record, queue, now, rules), places: placeService, clock, logger });

async function pass(label: string, recorder: SkipRecorder): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const recorded = await recorder.record();
  const ms = performance.now() - started;
  delay.disable();
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${recorded.toString().padStart(6)} recorded  ` +
      `event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
  );
}

console.log(`${places} places on 12 queues, 3 planned outages per queue a day, two days over`);
const recorder = recorderOf();
await pass('first pass (records all)', recorder);
await pass('next pass, same process', recorder);
await pass('first pass after a restart', recorderOf());
const rows = store.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM schedule_skips').get()!.n;
console.log(`rows in schedule_skips: ${rows}`);
await store.close();
dir.cleanup();
