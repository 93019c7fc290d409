// What devices see and how the service behaves while its own storage fails (issue 10 §3):
// another process holding the database's write lock, then a full disk; and how fast it recovers.
//   npm run bench:storage-faults [-- --places 1000 --rate 1000 --lock 10]
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { openStore } from '../src/db/connection.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: { places: { type: 'string', default: '1000' }, rate: { type: 'string', default: '1000' }, lock: { type: 'string', default: '10' }, full: { type: 'string', default: '8' } },
});
const places = Number(values.places);
const dir = tempDir('bench-faults-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const keys = seedPlaces(store.sqlite, places, Date.now(), 20);
await store.close();

const server = fork(fileURLToPath(new URL('./support/serve.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0' },
});
const reply = <T>(message: string) =>
  new Promise<T>((resolve) => {
    const onMessage = (answer: unknown) => {
      if (typeof answer === 'object' && answer !== null && !('port' in answer)) {
        server.off('message', onMessage);
        resolve(answer as T);
      }
    };
    server.on('message', onMessage);
    server.send(message);
  });
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
const url = `http://127.0.0.1:${port}/api/heartbeat`;

// The last place is kept out of the load: its reboots below need new rows (the write that fails).
const trigger = keys.pop()!;
let next = 0;
const load = (seconds: number) =>
  autocannon({
    url,
    method: 'POST',
    connections: 20,
    overallRate: Number(values.rate),
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % keys.length;
          return { ...request, headers: { authorization: `Bearer ${keys[next]}` } };
        },
      },
    ],
  });

interface Phase {
  name: string;
  result: autocannon.Result;
  loop: { maxMs: number; p99Ms: number };
}
const phases: Phase[] = [];
const measure = async (name: string, seconds: number) => {
  await reply('loop-delay');
  const result = await load(seconds);
  phases.push({ name, result, loop: (await reply<{ loopDelay: Phase['loop'] }>('loop-delay')).loopDelay });
};
/** Real time from now until a heartbeat is stored again (200). */
const timeToRecover = async () => {
  const from = Date.now();
  for (;;) {
    const status = (await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${keys[0]}` } })).status;
    if (status === 200) return Date.now() - from;
    await sleep(20);
  }
};

await load(2); // warm-up: every place checks in once
await measure('healthy', 5);

// Another process holds the write lock (a sqlite3 shell left in a transaction, say).
const holder = spawn(
  process.execPath,
  ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(databasePath)});d.exec('BEGIN IMMEDIATE');d.prepare("INSERT OR REPLACE INTO service_state VALUES('bench','lock')").run();console.log('locked');setTimeout(()=>{d.exec('COMMIT');console.log('released')},${Number(values.lock) * 1000});`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
await measure(`foreign lock (${values.lock} s)`, Number(values.lock) - 1);
await new Promise<void>((resolve) => holder.once('exit', () => resolve()));
const lockRecoveryMs = await timeToRecover();
await measure('after the lock', 3);

await reply('fill-disk');
// A few reboots of one board need new rows: the first write that does not fit.
for (let boot = 0; boot < 50; boot += 1) {
  const status = (await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${trigger}`, 'content-type': 'application/json' }, body: JSON.stringify({ uptime_ms: 1000, boot_id: `b${boot}`, reset_reason: 'POWERON' }) })).status;
  if (status === 503) break;
  await sleep(1_100); // each reboot is a new short outage: its boot time is after the last heartbeat
}
await measure(`disk full (${values.full} s)`, Number(values.full));
await reply('free-disk');
const fullRecoveryMs = await timeToRecover();
await measure('after the disk', 3);
const alive = server.exitCode === null;

server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
dir.cleanup();

console.log(`bench/storage-faults: ${places} places, ${values.rate} heartbeats/s offered`);
console.log('  phase                   2xx     503  other  p50 ms  p99 ms  max ms  loop stall max ms');
for (const { name, result, loop } of phases) {
  const ok = result['2xx'];
  const unavailable = result.statusCodeStats?.['503']?.count ?? 0;
  const other = result.requests.total - ok - unavailable;
  console.log(
    `  ${name.padEnd(22)} ${String(ok).padStart(5)} ${String(unavailable).padStart(7)} ${String(other).padStart(6)} ${String(result.latency.p50).padStart(7)} ${String(result.latency.p99).padStart(7)} ${String(result.latency.max).padStart(7)} ${loop.maxMs.toFixed(0).padStart(18)}`,
  );
}
console.log(`  recovered after the lock cleared in ${lockRecoveryMs} ms; after the disk had room in ${fullRecoveryMs} ms`);
console.log(`  the service process was ${alive ? 'alive' : 'DEAD'} throughout`);
