// 500 places × 10 subscribers each, all going off at once (issue 13): every subscriber's private
// alert and every channel alert handed to the (local, fake) Bot API at the global budget, alerts
// ahead of any diagram work, and heartbeat latency for the other places before and during the
// burst. The service runs in its own process with the real limits (25 messages a second in all,
// a private chat about one a second, a channel one per 3 s).
//   npm run bench:people-burst [-- --places 500 --per-place 10]
// --per-place 0 runs the same burst with channels only, the baseline to compare heartbeat latency with.
// The places go silent right after a start, so their daily diagrams (queued at start, as after
// any restart) are being rendered and posted when the alerts become due.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../src/db/connection.js';
import { PlaceStore } from '../src/places/place-store.js';
import { SubscriberStore } from '../src/people/subscriber-store.js';
import { TELEGRAM_LIMITS } from '../src/telegram/rate-limiter.js';
import { startFakeBotApi, type RecordedCall } from '../test/support/fake-bot-api.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: {
    places: { type: 'string', default: '500' },
    'per-place': { type: 'string', default: '10' },
    healthy: { type: 'string', default: '200' },
  },
});
const places = Number(values.places);
const perPlace = Number(values['per-place']);
const healthy = Number(values.healthy);
if (![places, healthy].every((n) => Number.isInteger(n) && n >= 1) || !(Number.isInteger(perPlace) && perPlace >= 0)) {
  console.error('--places and --healthy are whole numbers ≥ 1, --per-place ≥ 0.');
  process.exit(1);
}
const TIMEOUT_S = 20;
const FIRST_USER = 1_000_000;

const fake = await startFakeBotApi({ latencyMs: 30 });
const dir = tempDir('bench-people-burst-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const now = Date.now();
seedPlaces(store.sqlite, places, now, TIMEOUT_S);
const steady = seedPlaces(store.sqlite, healthy, now, 3600);
// Every failing place is ON, heard from just now, posts to its own channel, and has its subscribers.
store.sqlite.prepare(`UPDATE locations SET status = 'on', status_since = ?, last_heartbeat_at = ?, channel_id = '-100' || (1000000 + id) WHERE timeout_s = ?`).run(now - 3600_000, now, TIMEOUT_S);
store.sqlite.prepare(`INSERT INTO power_events (location_id, status, started_at, start_edge) SELECT id, 'on', ?, 'heartbeat' FROM locations WHERE timeout_s = ?`).run(now - 3600_000, TIMEOUT_S);
const subscribers = new SubscriberStore(store.sqlite, new PlaceStore(store.sqlite));
store.sqlite.transaction(() => {
  for (let place = 1; place <= places; place += 1) {
    for (let i = 0; i < perPlace; i += 1) {
      const userId = FIRST_USER + (place - 1) * perPlace + i;
      subscribers.subscribe(place, { userId, displayName: `Person ${userId}`, language: i % 2 === 0 ? 'uk' : 'en' }, now);
    }
  }
})();
// Nobody's quiet hours get in the way of counting (they only set disable_notification anyway).
await store.close();

const server = fork(fileURLToPath(new URL('./support/serve.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', BOT_TOKEN: '123456789:AAbenchTokenForTheFakeBotApi_abcdefghij', TELEGRAM_API_ROOT: fake.apiRoot, FLAP_WINDOW_S: '0' },
});
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
const startedAt = Date.now();
const reader = new SqliteDatabase(databasePath, { readonly: true });
const expiresAt = reader.prepare<[number], { at: number }>('SELECT min(deadline_at) AS at FROM locations WHERE timeout_s = ?').get(TIMEOUT_S)!.at;
reader.close();

/** The service's event-loop delay since the last ask. */
const loopDelay = () =>
  new Promise<{ maxMs: number; p99Ms: number }>((resolve) => {
    const listen = (message: unknown) => {
      const delay = (message as { loopDelay?: { maxMs: number; p99Ms: number } }).loopDelay;
      if (!delay) return;
      server.off('message', listen);
      resolve(delay);
    };
    server.on('message', listen);
    server.send('loop-delay');
  });

// Healthy places keep beating (about 100/s in all) through the whole run.
const before: number[] = [];
const during: number[] = [];
let burstOver = false;
let beating = true;
const beats = (async () => {
  let i = 0;
  while (beating) {
    const key = steady[i++ % steady.length]!;
    const sentAt = performance.now();
    await fetch(`http://127.0.0.1:${port}/api/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${key}` } }).then((r) => r.arrayBuffer());
    const at = Date.now();
    // Before: from 5 s after the start (warm) until the expiry; during: from the expiry to the last alert.
    if (at >= startedAt + 5000 && at < expiresAt) before.push(performance.now() - sentAt);
    else if (at >= expiresAt && !burstOver) during.push(performance.now() - sentAt);
    await sleep(10);
  }
})();

await sleep(Math.max(0, expiresAt - Date.now()));
const loopBefore = await loopDelay();
const isChannel = (call: RecordedCall) => String(call.params.chat_id).startsWith('-100');
const isPrivate = (call: RecordedCall) => /^\d+$/.test(String(call.params.chat_id));
const sends = () => fake.callsOf('sendMessage').filter((call) => !call.failed);
const expected = places + places * perPlace;
const deadline = expiresAt + ((expected / TELEGRAM_LIMITS.globalPerSecond) * 1000) * 2 + 60_000;
while (sends().filter((call) => call.at >= expiresAt).length < expected && Date.now() < deadline) await sleep(250);
burstOver = true;
const loopDuring = await loopDelay();
beating = false;
await beats;
server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
await fake.close();
dir.cleanup();

const alerts = sends().filter((call) => call.at >= expiresAt);
const channelAlerts = alerts.filter(isChannel);
const privateAlerts = alerts.filter(isPrivate);
const recipients = new Set(privateAlerts.map((call) => Number(call.params.chat_id)));
const firstAlert = Math.min(...alerts.map((call) => call.at));
const lastAlert = Math.max(...alerts.map((call) => call.at));
const diagramMethods = new Set(['sendPhoto', 'pinChatMessage', 'unpinChatMessage', 'editMessageMedia']);
const diagramCalls = fake.calls.filter((call) => diagramMethods.has(call.method) && isChannel(call));
const diagramsInBurst = diagramCalls.filter((call) => call.at >= expiresAt + 100 && call.at < lastAlert).length;
// The busiest 5 s of the burst, as calls per second: the global budget holds when no stretch goes
// faster than it allows. (Arrival times are stamped in this process, whose own event loop is busy
// too, so single seconds jitter; five even it out.)
const WINDOW_MS = 5000;
const burstCalls = fake.calls.filter((c) => c.at >= firstAlert && c.at <= lastAlert && c.method !== 'getUpdates').map((c) => c.at);
let busiest = 0;
for (let start = 0, end = 0; end < burstCalls.length; end += 1) {
  while (burstCalls[end]! - burstCalls[start]! >= WINDOW_MS) start += 1;
  busiest = Math.max(busiest, end - start + 1);
}
const spanS = (lastAlert - firstAlert) / 1000;
before.sort((a, b) => a - b);
during.sort((a, b) => a - b);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

console.log(
  `bench/people-burst: ${places} places × ${perPlace} subscribers off at once, each place with its own channel; daily diagrams queued at start; ` +
    `limits ${TELEGRAM_LIMITS.globalPerSecond}/s overall, private chats one per ${TELEGRAM_LIMITS.privateIntervalMs} ms, channels one per ${TELEGRAM_LIMITS.groupIntervalMs} ms; fake API answers in 30 ms`,
);
console.log(`  channel alerts handed over:  ${channelAlerts.length} of ${places}`);
console.log(`  private alerts handed over:  ${privateAlerts.length} of ${places * perPlace} (${recipients.size} different people)`);
console.log(`  expiry → first alert:        ${s(firstAlert - expiresAt)}`);
console.log(`  expiry → last alert:         ${s(lastAlert - expiresAt)}; ${(alerts.length / spanS).toFixed(1)} messages/s from first to last (budget ${TELEGRAM_LIMITS.globalPerSecond}/s)`);
console.log(`  busiest 5 s of the burst:    ${(busiest / (WINDOW_MS / 1000)).toFixed(1)} calls/s`);
console.log(`  diagram calls between the expiry and the last alert: ${diagramsInBurst} (of ${diagramCalls.length} diagram calls in all)`);
console.log(`  failed calls (429 etc.):     ${fake.calls.filter((call) => call.failed).length}`);
console.log(`  heartbeat latency before the burst (${before.length}): p50 ${ms(percentile(before, 50))}, p99 ${ms(percentile(before, 99))}`);
console.log(`  heartbeat latency during the burst (${during.length}): p50 ${ms(percentile(during, 50))}, p99 ${ms(percentile(during, 99))}`);
console.log(`  service event-loop delay:    before p99 ${ms(loopBefore.p99Ms)} (max ${ms(loopBefore.maxMs)}), during p99 ${ms(loopDuring.p99Ms)} (max ${ms(loopDuring.maxMs)})`);
