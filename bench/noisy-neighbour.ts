// What a valid device sees while another client at the same address keeps sending wrong keys
// (issue 10 §1: two boards in one home, CGNAT, a proxy). One place with a 20 s timeout whose
// device heartbeats every second; from the same address, wrong keys at a steady 100 a minute,
// then a flood of 100 a second. Prints the device's status codes and latency, what the sender of
// wrong keys got, and how many OFF events the place recorded (any is a false alert).
//   npm run bench:neighbour [-- --minutes 1 --flood-seconds 10]
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../src/db/connection.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedPlaces } from './support/seed.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '1' }, 'flood-seconds': { type: 'string', default: '10' } } });
const steadyMs = Number(values.minutes) * 60_000;
const floodMs = Number(values['flood-seconds']) * 1000;

const dir = tempDir('bench-neighbour-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const [deviceKey] = seedPlaces(store.sqlite, 1, Date.now(), 20);
await store.close();

const server = fork(fileURLToPath(new URL('./support/serve.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0' },
});
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));

/** One request on a new connection, as a board makes it; resolves with the status and the time taken. */
function get(path: string): Promise<{ status: number; ms: number }> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - startedAt }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt }));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const countBy = (statuses: number[]) => Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, statuses.filter((x) => x === s).length]));

interface Phase {
  device: { status: number; ms: number }[];
  wrong: number[];
}

/** The device every second, and wrong keys every `wrongEveryMs`, both for `durationMs`. */
async function phase(durationMs: number, wrongEveryMs: number): Promise<Phase> {
  const result: Phase = { device: [], wrong: [] };
  const endsAt = Date.now() + durationMs;
  let attempt = 0;
  const device = (async () => {
    while (Date.now() < endsAt) {
      const next = Date.now() + 1000;
      result.device.push(await get(`/api/heartbeat?key=${deviceKey}`));
      await sleep(Math.max(0, next - Date.now()));
    }
  })();
  const attacker = (async () => {
    const pending: Promise<void>[] = [];
    for (let next = Date.now(); next < endsAt; next += wrongEveryMs) {
      await sleep(Math.max(0, next - Date.now()));
      attempt += 1;
      pending.push(get(`/api/heartbeat?key=wrong-key-${String(attempt).padStart(6, '0')}-xxxxxxxxxxxxxx`).then((r) => void result.wrong.push(r.status)));
    }
    await Promise.all(pending);
  })();
  await Promise.all([device, attacker]);
  return result;
}

function report(name: string, result: Phase): void {
  const latencies = result.device.map((r) => r.ms).sort((a, b) => a - b);
  console.log(`  ${name}`);
  console.log(`    valid device:  ${result.device.length} heartbeats, statuses ${JSON.stringify(countBy(result.device.map((r) => r.status)))}`);
  console.log(`                   latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms`);
  console.log(`    wrong keys:    ${result.wrong.length} requests, statuses ${JSON.stringify(countBy(result.wrong))}`);
}

await get(`/api/heartbeat?key=${deviceKey}`); // the place is on before the noise starts
const steady = await phase(steadyMs, 600);
const flood = await phase(floodMs, 10);
server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));

const sqlite = new SqliteDatabase(databasePath, { readonly: true });
const offEvents = sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM power_events WHERE status = 'off'").get()!.n;
sqlite.close();
dir.cleanup();

console.log(`bench/noisy-neighbour: one place (timeout 20 s, a heartbeat a second), wrong keys from the same address`);
report(`${values.minutes} min at 100 wrong keys a minute`, steady);
report(`${values['flood-seconds']} s at 100 wrong keys a second`, flood);
console.log(`  OFF events recorded for the place: ${offEvents} (any is a false alert)`);
