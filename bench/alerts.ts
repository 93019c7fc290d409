// Many places lose power at the same moment: how long until every alert has been handed to the
// (local, fake) Bot API while staying inside Telegram's rate limits, where the daily diagrams go,
// and what heartbeat latency looks like for the other places during that burst. The service runs
// in its own process.
//   npm run bench:alerts [-- --places 1000 --midnight]
// Default: the places go silent right after a start, so their daily diagrams (queued at start,
// as after any restart) are rendered and posted while the alerts are due.
// --midnight: every place's daily diagram becomes due at the very moment the places go off (as at
// 00:00): the places get their channels just before, and the schedule runs at the expiry.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../src/db/connection.js';
import { TELEGRAM_LIMITS } from '../src/telegram/rate-limiter.js';
import { startFakeBotApi, type RecordedCall } from '../test/support/fake-bot-api.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: {
    places: { type: 'string', default: '1000' },
    healthy: { type: 'string', default: '200' },
    midnight: { type: 'boolean', default: false },
    'diagram-wait': { type: 'string', default: '600' },
  },
});
const places = Number(values.places);
const healthy = Number(values.healthy);
const midnight = values.midnight;
const TIMEOUT_S = 20;

const fake = await startFakeBotApi({ latencyMs: 30 });
const dir = tempDir('bench-alerts-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const now = Date.now();
seedPlaces(store.sqlite, places, now, TIMEOUT_S);
const steady = seedPlaces(store.sqlite, healthy, now, 3600);
// Every failing place is ON and was last heard from just now; each posts to its own channel
// (in midnight mode the channels are linked just before the expiry, so no diagram is due at start).
store.sqlite.prepare(`UPDATE locations SET status = 'on', status_since = ?, last_heartbeat_at = ? WHERE timeout_s = ?`).run(now - 3600_000, now, TIMEOUT_S);
const linkChannels = (sqlite: SqliteDatabase.Database) =>
  sqlite.prepare(`UPDATE locations SET channel_id = '-100' || (1000000 + id) WHERE timeout_s = ?`).run(TIMEOUT_S);
if (!midnight) linkChannels(store.sqlite);
store.sqlite.prepare(`INSERT INTO power_events (location_id, status, started_at, start_edge) SELECT id, 'on', ?, 'heartbeat' FROM locations WHERE timeout_s = ?`).run(now - 3600_000, TIMEOUT_S);
await store.close();

const server = fork(fileURLToPath(new URL('./support/serve.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', BOT_TOKEN: '123456789:AAbenchTokenForTheFakeBotApi_abcdefghij', TELEGRAM_API_ROOT: fake.apiRoot, FLAP_WINDOW_S: '0' },
});
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
// A full timeout after the start, all at once: the deadline the service itself set.
const reader = new SqliteDatabase(databasePath, { readonly: true });
const expiresAt = reader.prepare<[number], { at: number }>('SELECT min(deadline_at) AS at FROM locations WHERE timeout_s = ?').get(TIMEOUT_S)!.at;
reader.close();

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

if (midnight) {
  await sleep(Math.max(0, expiresAt - 3000 - Date.now()));
  const sqlite = new SqliteDatabase(databasePath);
  sqlite.pragma('busy_timeout = 5000');
  linkChannels(sqlite);
  sqlite.close();
  await sleep(Math.max(0, expiresAt - Date.now()));
  server.send({ type: 'run-diagrams' }); // 00:00: every place's diagram of the new day is due
}

const inChannels = (call: RecordedCall) => !call.failed && String(call.params.chat_id).startsWith('-100');
const alertCalls = () => fake.callsOf('sendMessage').filter(inChannels);
const diagramPosts = () => fake.callsOf('sendPhoto').filter(inChannels);
while (alertCalls().length < places && Date.now() < expiresAt + 180_000) await sleep(200);
beating = false;
await beats;
const alerts = alertCalls();
const lastAlert = Math.max(...alerts.map((c) => c.at));
const firstAlert = Math.min(...alerts.map((c) => c.at));
const diagramWaitUntil = Date.now() + Number(values['diagram-wait']) * 1000;
while (diagramPosts().length < places && Date.now() < diagramWaitUntil) await sleep(500);
const photos = diagramPosts();
const diagramCalls = fake.calls.filter((c) => inChannels(c) && ['sendPhoto', 'pinChatMessage', 'unpinChatMessage', 'editMessageMedia'].includes(c.method));
const beforeLastAlert = diagramCalls.filter((c) => c.at < lastAlert).length;
server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
await fake.close();
dir.cleanup();

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
latencies.sort((a, b) => a - b);
console.log(
  `bench/alerts: ${places} places off at once, one channel each, ${midnight ? "every daily diagram due at the same moment (midnight)" : 'daily diagrams queued at start, 20 s before'}; ` +
    `limits ${TELEGRAM_LIMITS.globalPerSecond}/s overall, one post per ${TELEGRAM_LIMITS.groupIntervalMs} ms per channel; fake API answers in 30 ms`,
);
console.log(`  alerts handed over:      ${alerts.length} of ${places}`);
console.log(`  expiry → first alert:    ${s(firstAlert - expiresAt)}`);
console.log(`  expiry → last alert:     ${s(lastAlert - expiresAt)} (${(alerts.length / ((lastAlert - expiresAt) / 1000)).toFixed(1)} alerts/s)`);
console.log(`  diagrams posted:         ${photos.length} of ${places}${photos.length ? `, last ${s(Math.max(...photos.map((c) => c.at)) - expiresAt)} after expiry` : ''}; ${beforeLastAlert} diagram calls went out before the last alert`);
console.log(`  failed calls (429 etc.): ${fake.calls.filter((c) => c.failed).length}`);
console.log(`  heartbeat latency during the burst (${latencies.length} requests): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
