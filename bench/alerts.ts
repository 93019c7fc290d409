// 1,000 places lose power at the same moment: how long until every alert has been handed to the
// (local, fake) Bot API while staying inside Telegram's rate limits, and what heartbeat latency
// looks like for the other places during that burst. The service runs in its own process.
//   npm run bench:alerts [-- --places 1000]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../src/db/connection.js';
import { TELEGRAM_LIMITS } from '../src/telegram/rate-limiter.js';
import { startFakeBotApi } from '../test/support/fake-bot-api.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedLocations } from './support/seed.js';

const { values } = parseArgs({ options: { places: { type: 'string', default: '1000' }, healthy: { type: 'string', default: '200' } } });
const places = Number(values.places);
const healthy = Number(values.healthy);
const TIMEOUT_S = 20;

const fake = await startFakeBotApi({ latencyMs: 30 });
const dir = tempDir('bench-alerts-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const now = Date.now();
const failing = seedLocations(store.sqlite, places, now, TIMEOUT_S);
const steady = seedLocations(store.sqlite, healthy, now, 3600);
// Every failing place is ON with its own channel and was last heard from just now.
store.sqlite.prepare(`UPDATE locations SET status = 'on', status_since = ?, last_heartbeat_at = ?, channel_id = '-100' || (1000000 + id) WHERE timeout_s = ?`).run(now - 3600_000, now, TIMEOUT_S);
store.sqlite.prepare(`INSERT INTO power_events (location_id, status, started_at, start_edge) SELECT id, 'on', ?, 'heartbeat' FROM locations WHERE timeout_s = ?`).run(now - 3600_000, TIMEOUT_S);
await store.close();

const server = fork(fileURLToPath(new URL('./support/serve.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', BOT_TOKEN: '123456789:AAbenchTokenForTheFakeBotApi_abcdefghij', TELEGRAM_API_ROOT: fake.apiRoot, FLAP_WINDOW_S: '0' },
});
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
const startedAt = Date.now();
const expiresAt = startedAt + TIMEOUT_S * 1000; // a full timeout after the start, all at once

// Healthy places keep beating (about 100/s in all) through the whole burst.
const latencies: number[] = [];
let beating = true;
const beats = (async () => {
  let i = 0;
  while (beating) {
    const key = steady[i++ % steady.length]!;
    const sentAt = performance.now();
    await fetch(`http://127.0.0.1:${port}/api/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${key}` } }).then((r) => r.arrayBuffer());
    if (Date.now() >= expiresAt) latencies.push(performance.now() - sentAt);
    await sleep(10);
  }
})();
void failing;

const alertCalls = () => fake.callsOf('sendMessage').filter((c) => !c.failed && String(c.params.chat_id).startsWith('-100'));
while (alertCalls().length < places && Date.now() < expiresAt + 180_000) await sleep(200);
beating = false;
await beats;
const calls = alertCalls();
const last = Math.max(...calls.map((c) => c.at));
server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
await fake.close();
dir.cleanup();

latencies.sort((a, b) => a - b);
console.log(`bench/alerts: ${places} places off at once, one channel each; limits ${TELEGRAM_LIMITS.globalPerSecond}/s overall, one post per ${TELEGRAM_LIMITS.groupIntervalMs} ms per channel; fake API answers in 30 ms`);
console.log(`  alerts handed over:      ${calls.length} of ${places}`);
console.log(`  expiry → last alert:     ${((last - expiresAt) / 1000).toFixed(1)} s (${(calls.length / ((last - expiresAt) / 1000)).toFixed(1)} alerts/s)`);
console.log(`  429s from the fake:      ${fake.callsOf('sendMessage').filter((c) => c.failed).length}`);
console.log(`  heartbeat latency during the burst (${latencies.length} requests): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
