// Time from a place's timeout expiring to its OFF alert sitting in the outbox, over many places,
// with the real sweep worker and the real clock. Goal (issue 2): p99 ≤ 2 s.
//   npm run bench:detection [-- --places 2000 --timeout 20]
//   --storage postgres [--database-url postgres://…]   the service on PostgreSQL (issue 25): a
//       throwaway cluster of its own, or an empty database; it leads (the sweep runs on the leader)
//   --lease-s 60   a longer leader's lease than production's 5 s (bench/support/lease.ts): a lost
//       leadership is reported (when, and the longest event-loop stall), not turned into an exit
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_LEASE } from '../src/db/leadership.js';
import { createLogger } from '../src/logger.js';
import type { Sender } from '../src/outbox/dispatcher.js';
import { tempDir } from '../test/support/temp-dir.js';
import { openPostgresTarget, type PostgresTarget } from './support/postgres-target.js';
import { leaseOf } from './support/lease.js';
import { percentile, seedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: {
    places: { type: 'string', default: '2000' },
    timeout: { type: 'string', default: '20' },
    spread: { type: 'string', default: '10' },
    storage: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string' },
    'lease-s': { type: 'string' },
  },
});
if (values.storage !== 'sqlite' && values.storage !== 'postgres') {
  console.error(`bench/detection: --storage is sqlite or postgres, not "${values.storage}"`);
  process.exit(2);
}
if (values.storage === 'sqlite' && values['database-url'] !== undefined) {
  console.error('bench/detection: --database-url needs --storage postgres');
  process.exit(2);
}
const leaseTiming = values['lease-s'] === undefined ? undefined : leaseOf(Number(values['lease-s']));
const places = Number(values.places);
const timeoutS = Number(values.timeout);
const spreadMs = Number(values.spread) * 1000;
const dir = tempDir('bench-detection-');
let postgres: PostgresTarget | undefined;
let postgresKeys: string[] = [];
if (values.storage === 'postgres') {
  postgres = await openPostgresTarget(values['database-url']);
  // Seeded before the service starts: thousands of inserts through the synchronous bridge would
  // hold the leader's event loop past its lease (src/db/leadership.ts), and it would exit (75).
  postgresKeys = seedPlaces(postgres.store.connection, places, Date.now(), timeoutS);
  await postgres.store.close();
}
const config = loadConfig({ DATABASE_PATH: dir.file('monitor.db'), ...(postgres ? { DATABASE_URL: postgres.url } : {}), PORT: '0', LOG_LEVEL: 'silent' });
// Keeps every row in the outbox to measure it (until the stop aborts the attempt).
const holdAll: Sender = { deliver: (_rows, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))) };
// On PostgreSQL the leader stops leading when its lease runs out (its confirmation unanswered
// while the event loop is held); the bench then reports when, instead of exiting with 75 as the service does.
let leadershipLost: { afterMs: number; reason: string } | undefined;
const app = new App({
  config,
  logger: createLogger({ level: 'silent', pretty: false }),
  sender: holdAll,
  ...(leaseTiming ? { leaseTiming } : {}),
  onLeadershipLost: (reason) => (leadershipLost ??= { afterMs: Date.now() - appStarted, reason }),
});
const appStarted = Date.now();
await app.start();
const startedIn = Date.now() - appStarted;
// How long the event loop was held at once: on PostgreSQL every statement waits for its round trip.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
if (postgres && app.system.leadership.role !== 'leader') {
  // The first attempt took the lock but the takeover itself (monitor.start) outlasted the lease, or another instance leads.
  const reason = leadershipLost?.reason ?? 'another instance holds the leadership of this database';
  console.error(`bench/detection: this instance does not lead ${((Date.now() - appStarted) / 1000).toFixed(1)} s after its start (${reason}); the sweep would not run here. A longer --lease-s shows what comes after.`);
  await app.stop();
  await postgres.stop();
  process.exit(1);
}
const connection = app.system.store.connection;
const keys = postgres ? postgresKeys : seedPlaces(connection, places, Date.now(), timeoutS);

// One heartbeat per place, spread over `spread` seconds, so the expiries are spread too.
const started = Date.now();
let unavailable = 0;
for (let i = 0; i < keys.length; i += 1) {
  const due = started + (spreadMs * i) / keys.length;
  if (due > Date.now()) await sleep(due - Date.now());
  const response = await fetch(`http://127.0.0.1:${app.port}/api/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${keys[i]}` } });
  // On PostgreSQL a 503 (storage failing for a moment: a wait past its limit) is counted and
  // printed, its place then not watched; on SQLite nothing may refuse.
  if (response.status === 503 && postgres) unavailable += 1;
  else if (response.status !== 200) throw new Error(`heartbeat refused: ${response.status}`);
  await response.arrayBuffer();
}
const sentFor = Date.now() - started;
const lastExpiry = Date.now() + timeoutS * 1000;
while (Date.now() < lastExpiry + 3000) await sleep(250);

const rows = (
  connection
    .prepare(
      `SELECT o.created_at, l.last_heartbeat_at + l.timeout_s * 1000 AS expiry
         FROM outbox o JOIN locations l ON l.id = o.location_id WHERE o.kind = 'alert'`,
    )
    .all() as { created_at: number | string; expiry: number | string }[]
).map((row) => ({ createdAt: Number(row.created_at), expiry: Number(row.expiry) }));
const delays = rows.map((row) => row.createdAt - row.expiry).sort((a, b) => a - b);
await app.stop();
await postgres?.stop();
dir.cleanup();

console.log(
  `bench/detection: ${places} places, timeout ${timeoutS} s, heartbeats spread over ${values.spread} s` +
    (postgres ? ` (PostgreSQL, leader's lease ${(leaseTiming ?? DEFAULT_LEASE).leaseMs / 1000} s; the start took ${(startedIn / 1000).toFixed(1)} s)` : ''),
);
if (postgres) {
  console.log(`  heartbeats sent in ${(sentFor / 1000).toFixed(1)} s${unavailable > 0 ? `, ${unavailable} answered 503` : ''}`);
  console.log(`  event loop held: max ${(loopDelay.max / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms`);
  if (leadershipLost) console.log(`  LEADERSHIP LOST ${(leadershipLost.afterMs / 1000).toFixed(1)} s after the start (${leadershipLost.reason}): the sweep stopped there`);
}
console.log(`  alerts queued:   ${rows.length} of ${places}`);
console.log(`  delay p50:       ${percentile(delays, 50)} ms`);
console.log(`  delay p99:       ${percentile(delays, 99)} ms`);
console.log(`  delay max:       ${delays.at(-1)} ms`);
