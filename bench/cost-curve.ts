// How the service's costs grow with the number of places (issue 16): for each size, a fresh
// database of places as a running service leaves them, then the service started in its own
// process. Prints: cold start to ready (restart recovery included) and the first heartbeat's
// latency after it; RSS idle and under load; heartbeats/s and p99 (50 connections); detection
// delay past the timeout for 1,000 places going silent (the sweep's cost); database size.
//   npm run bench:cost-curve [-- --sizes 1000,10000,100000 --duration 8 --tsx]
// The service runs compiled, with the container's flags (bench/support/service-process.ts); --tsx
// runs it through tsx as the baseline was measured.
import type { ChildProcess } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../src/db/connection.js';
import { tempDir } from '../test/support/temp-dir.js';
import { forkService, prepareService } from './support/service-process.js';
import { percentile, seedWatchedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,10000,100000' }, duration: { type: 'string', default: '8' }, tsx: { type: 'boolean', default: false } },
});
const sizes = values.sizes.split(',').map(Number);
prepareService();
const SILENT_TIMEOUT_S = 20;

interface Row {
  places: number;
  readyMs: number;
  firstHeartbeatMs: number;
  rssIdleMb: number;
  rssLoadMb: number;
  perSecond: number;
  p99: number;
  detectionP99Ms: number;
  databaseMb: number;
  silent: number;
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (answer: unknown) => {
      if (typeof answer === 'object' && answer !== null && key in answer) {
        child.off('message', onMessage);
        resolve(answer as T);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

const fileMb = (path: string) => (existsSync(path) ? statSync(path).size : 0) / 2 ** 20;

const rows: Row[] = [];
for (const places of sizes) {
  // Places that go silent for the detection figure (kept out of the load).
  const SILENT = Math.min(1_000, Math.floor(places / 10));
  const dir = tempDir('bench-curve-');
  const databasePath = dir.file('monitor.db');
  const store = await openStore(databasePath);
  const keys = seedWatchedPlaces(store.sqlite, places, Date.now());
  await store.close();

  const startedAt = performance.now();
  const child = forkService('support/serve.ts', { env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0' } });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  const readyMs = performance.now() - startedAt;
  const url = `http://127.0.0.1:${port}/api/heartbeat`;
  const beat = (key: string) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  const firstAt = performance.now();
  if ((await beat(keys[0]!)).status !== 200) throw new Error('first heartbeat refused');
  const firstHeartbeatMs = performance.now() - firstAt;

  await sleep(3_000);
  const rssIdleMb = (await ask<{ rss: number }>(child, 'memory', 'rss')).rss / 2 ** 20;

  // Load: every place but the last SILENT ones, round robin.
  const loaded = keys.slice(0, places - SILENT);
  let next = 0;
  let peakRss = 0;
  const sampler = setInterval(() => void ask<{ rss: number }>(child, 'memory', 'rss').then(({ rss }) => (peakRss = Math.max(peakRss, rss))), 500);
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 50,
    duration: Number(values.duration),
    requests: [{ setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${loaded[(next = (next + 1) % loaded.length)]}` } }) }],
  });
  clearInterval(sampler);

  // Detection: SILENT places with a short timeout check in once, then go silent together.
  const control = new SqliteDatabase(databasePath);
  control.pragma('busy_timeout = 5000');
  const silentIds = Array.from({ length: SILENT }, (_, i) => places - SILENT + 1 + i);
  control.prepare(`UPDATE locations SET timeout_s = ? WHERE id >= ?`).run(SILENT_TIMEOUT_S, silentIds[0]);
  await Promise.all(keys.slice(places - SILENT).map((key) => beat(key)));
  await sleep((SILENT_TIMEOUT_S + 4) * 1000);
  const delays = control
    .prepare<[number], { delay: number }>(
      `SELECT o.created_at - (l.last_heartbeat_at + l.timeout_s * 1000) AS delay
         FROM outbox o JOIN locations l ON l.id = o.location_id WHERE o.kind = 'alert' AND l.id >= ?`,
    )
    .all(silentIds[0]!)
    .map((row) => row.delay)
    .sort((a, b) => a - b);
  control.close();

  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  rows.push({
    places,
    readyMs,
    firstHeartbeatMs,
    rssIdleMb,
    rssLoadMb: peakRss / 2 ** 20,
    perSecond: result.requests.average,
    p99: result.latency.p99,
    detectionP99Ms: delays.length === SILENT ? percentile(delays, 99) : NaN,
    silent: SILENT,
    databaseMb: fileMb(databasePath) + fileMb(`${databasePath}-wal`),
  });
  dir.cleanup();
}

console.log(`bench/cost-curve: 50 connections, ${values.duration} s of load per size; detection over min(1,000, places/10) places with a ${SILENT_TIMEOUT_S} s timeout`);
console.log('   places   ready ms  1st hb ms  RSS idle MB  RSS load MB  heartbeats/s  p99 ms  detection p99 ms  database MB');
for (const row of rows) {
  console.log(
    `  ${String(row.places).padStart(7)} ${row.readyMs.toFixed(0).padStart(10)} ${row.firstHeartbeatMs.toFixed(1).padStart(10)} ${row.rssIdleMb.toFixed(0).padStart(12)} ${row.rssLoadMb.toFixed(0).padStart(12)} ${Math.round(row.perSecond).toString().padStart(13)} ${String(row.p99).padStart(7)} ${(Number.isNaN(row.detectionP99Ms) ? 'missing' : row.detectionP99Ms.toFixed(0)).padStart(17)} ${row.databaseMb.toFixed(1).padStart(12)}`,
  );
}
