// Heartbeats per second and latency over real HTTP: 10,000 places, concurrent clients.
// Goal (issue 2): ≥ 5,000/s with p99 < 10 ms on the 2-core machine.
//   npm run bench:ingest [-- --duration 15 --connections 50]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openStore } from '../src/db/connection.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedLocations } from './support/seed.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '15' }, connections: { type: 'string', default: '50' }, places: { type: 'string', default: '10000' }, profile: { type: 'boolean', default: false } } });
const places = Number(values.places);
const dir = tempDir('bench-ingest-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const keys = seedLocations(store.sqlite, places, Date.now());
await store.close();

const server = fork(fileURLToPath(new URL('./support/serve.ts', import.meta.url)), [], {
  // --profile writes a CPU profile of the service to bench/out/ (open it in Chrome DevTools).
  execArgv: ['--import', 'tsx', ...(values.profile ? ['--cpu-prof', '--cpu-prof-dir=bench/out'] : [])],
  env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0' },
});
const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));

const body = (uptime: number) => JSON.stringify({ uptime_ms: uptime, boot_id: 'bench-boot', reset_reason: 'POWERON', rssi: -60, fw: '1.0.0' });
let next = 0;
const run = (duration: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}/api/heartbeat`,
    method: 'POST',
    connections: Number(values.connections),
    duration,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % keys.length;
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${keys[next]}` }, body: body(1000 * next + 5000) };
        },
      },
    ],
  });

await run(3); // warm-up: JIT, page cache, first heartbeat of every place (unknown → on)
const result = await run(Number(values.duration));
server.send('stop');
await new Promise((resolve) => server.once('exit', resolve));
dir.cleanup();

console.log(`bench/ingest: ${places} places, ${values.connections} connections, ${values.duration} s`);
console.log(`  requests:        ${result.requests.total} (${result.non2xx} non-2xx, ${result.errors} errors)`);
console.log(`  heartbeats/s:    ${Math.round(result.requests.average)} (mean)`);
console.log(`  latency p50:     ${result.latency.p50} ms`);
console.log(`  latency p99:     ${result.latency.p99} ms`);
console.log(`  latency max:     ${result.latency.max} ms`);
