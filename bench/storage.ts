// Database size after a simulated week of 100 places heartbeating every 10 s with a few outages a
// day (the state machine and store run for real, with a simulated clock). The goal: the size grows
// with the number of power changes, not with the number of heartbeats.
//   npm run bench:storage [-- --places 100 --days 7]
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openStore } from '../src/db/connection.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { Monitor } from '../src/monitor/monitor.js';
import { PowerStore } from '../src/monitor/power-store.js';
import { ManualClock } from '../test/support/clock.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedPlaces } from './support/seed.js';
import { standaloneOwners } from '../src/monitor/standalone-owners.js';

const { values } = parseArgs({ options: { places: { type: 'string', default: '100' }, days: { type: 'string', default: '7' } } });
const places = Number(values.places);
const days = Number(values.days);
const HEARTBEAT_MS = 10_000;
const DAY_MS = 24 * 3600_000;

const dir = tempDir('bench-storage-');
const path = dir.file('monitor.db');
const store = await openStore(path);
const clock = new ManualClock(Date.UTC(2026, 10, 1));
const owners = standaloneOwners(store.sqlite);
const powerStore = new PowerStore(store.sqlite, owners);
const monitor = new Monitor({ store: powerStore, owners, clock, logger: createLogger({ level: 'silent', pretty: false }), metrics: createMetrics(() => ({})) });
monitor.start();
const keys = seedPlaces(store.sqlite, places, clock.now(), 60);

// Each place gets 3 outages a day of 20–140 minutes at pseudo-random times (deterministic).
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const outages: Array<Array<[number, number]>> = keys.map(() => {
  const list: Array<[number, number]> = [];
  for (let day = 0; day < days; day += 1) {
    for (let k = 0; k < 3; k += 1) {
      const start = clock.now() + day * DAY_MS + (k * 8 + random() * 6) * 3600_000;
      list.push([start, start + (20 + random() * 120) * 60_000]);
    }
  }
  return list;
});
const bootedAt = keys.map(() => clock.now());
const powered = (i: number, t: number) => !outages[i]!.some(([from, to]) => t >= from && t < to);

const sizeOf = () => {
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(path).size;
};
const started = performance.now();
let heartbeats = 0;
const end = clock.now() + days * DAY_MS;
const report: string[] = [];
let nextDay = clock.now() + DAY_MS;
while (clock.now() < end) {
  clock.advance(HEARTBEAT_MS);
  const t = clock.now();
  for (let i = 0; i < keys.length; i += 1) {
    if (!powered(i, t)) {
      bootedAt[i] = t + 5_000; // the board boots 5 s after the power returns
      continue;
    }
    const place = monitor.authenticate(keys[i]!)!;
    monitor.heartbeatNow(place.id, { uptimeMs: Math.max(0, t - bootedAt[i]!), bootId: `boot-${bootedAt[i]}`, resetReason: 'POWERON', rssi: -60, fw: '1.0.0' });
    heartbeats += 1;
  }
  monitor.sweep();
  if (t >= nextDay) {
    nextDay += DAY_MS;
    const counts = store.sqlite.prepare<[], { events: number; outbox: number }>('SELECT (SELECT count(*) FROM power_events) AS events, (SELECT count(*) FROM outbox) AS outbox').get()!;
    report.push(`  day ${report.length + 1}: ${heartbeats.toLocaleString('en')} heartbeats, ${counts.events} power events, ${counts.outbox} outbox rows, file ${(sizeOf() / 1024).toFixed(0)} KiB`);
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`bench/storage: ${places} places, ${days} days, heartbeat every ${HEARTBEAT_MS / 1000} s, ~3 outages a day each`);
for (const line of report) console.log(line);
console.log(`  bytes per heartbeat: ${(sizeOf() / heartbeats).toFixed(3)} (a row per heartbeat would be ~40+)`);
console.log(`  simulated in ${seconds.toFixed(1)} s (${Math.round(heartbeats / seconds).toLocaleString('en')} heartbeats/s through the state machine and store)`);
await store.close();
dir.cleanup();
