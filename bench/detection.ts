// Time from a place's timeout expiring to its OFF alert sitting in the outbox, over many places,
// with the real sweep worker and the real clock. Goal (issue 2): p99 ≤ 2 s.
//   npm run bench:detection [-- --places 2000 --timeout 20]
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Sender } from '../src/outbox/dispatcher.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedPlaces } from './support/seed.js';

const { values } = parseArgs({ options: { places: { type: 'string', default: '2000' }, timeout: { type: 'string', default: '20' }, spread: { type: 'string', default: '10' } } });
const places = Number(values.places);
const timeoutS = Number(values.timeout);
const spreadMs = Number(values.spread) * 1000;
const dir = tempDir('bench-detection-');
const config = loadConfig({ DATABASE_PATH: dir.file('monitor.db'), PORT: '0', LOG_LEVEL: 'silent' });
// Keeps every row in the outbox to measure it (until the stop aborts the attempt).
const holdAll: Sender = { deliver: (_rows, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))) };
const app = new App({ config, logger: createLogger({ level: 'silent', pretty: false }), sender: holdAll });
await app.start();
const keys = seedPlaces(app.system.store.sqlite, places, Date.now(), timeoutS);

// One heartbeat per place, spread over `spread` seconds, so the expiries are spread too.
const started = Date.now();
for (let i = 0; i < keys.length; i += 1) {
  const due = started + (spreadMs * i) / keys.length;
  if (due > Date.now()) await sleep(due - Date.now());
  const response = await fetch(`http://127.0.0.1:${app.port}/api/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${keys[i]}` } });
  if (response.status !== 200) throw new Error(`heartbeat refused: ${response.status}`);
}
const lastExpiry = Date.now() + timeoutS * 1000;
while (Date.now() < lastExpiry + 3000) await sleep(250);

const rows = app.system.store.sqlite
  .prepare<[], { created_at: number; expiry: number }>(
    `SELECT o.created_at, l.last_heartbeat_at + l.timeout_s * 1000 AS expiry
       FROM outbox o JOIN locations l ON l.id = o.location_id WHERE o.kind = 'alert'`,
  )
  .all();
const delays = rows.map((row) => row.created_at - row.expiry).sort((a, b) => a - b);
await app.stop();
dir.cleanup();

console.log(`bench/detection: ${places} places, timeout ${timeoutS} s, heartbeats spread over ${values.spread} s`);
console.log(`  alerts queued:   ${rows.length} of ${places}`);
console.log(`  delay p50:       ${percentile(delays, 50)} ms`);
console.log(`  delay p99:       ${percentile(delays, 99)} ms`);
console.log(`  delay max:       ${delays.at(-1)} ms`);
