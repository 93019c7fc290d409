// Heartbeats per second and latency over real HTTP, against a bare Node http server doing the
// same request shape (bench/support/bare-server.ts), in alternating runs; medians are printed with
// the ratio service / bare. Goals: issue 2 ≥ 5,000/s with p99 < 10 ms; issue 16 ≥ 0.7 × bare.
//   npm run bench:ingest [-- --duration 10 --connections 50 --places 10000 --rounds 3]
//   --only service|bare    one side only; --profile writes a CPU profile of the service to bench/out/
//   --tsx                  both sides through tsx instead of compiled (bench/support/service-process.ts)
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openStore } from '../src/db/connection.js';
import { tempDir } from '../test/support/temp-dir.js';
import { forkService, prepareService } from './support/service-process.js';
import { seedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: {
    tsx: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    places: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const places = Number(values.places);
prepareService();
const dir = tempDir('bench-ingest-');
const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const keys = seedPlaces(store.sqlite, places, Date.now());
await store.close();

async function start(script: string, execArgv: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = forkService(script, { execArgv, env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0' } });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  return { child, port };
}
/** The child's CPU time so far (µs, all its threads). */
function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'cpuMicros' in message) {
        child.off('message', onMessage);
        resolve((message as { cpuMicros: number }).cpuMicros);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}

const body = (uptime: number) => JSON.stringify({ uptime_ms: uptime, boot_id: 'bench-boot', reset_reason: 'POWERON', rssi: -60, fw: '1.0.0' });
let next = 0;
const run = (port: number, duration: number) =>
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

interface Figures {
  perSecond: number;
  /** CPU time the server spent per answered request: unlike requests/s, not moved by other load on the machine. */
  cpuMicrosPerRequest: number;
  p50: number;
  p99: number;
  non2xx: number;
}
const results: Record<'service' | 'bare', Figures[]> = { service: [], bare: [] };
const sides = (values.only === 'service' || values.only === 'bare' ? [values.only] : ['bare', 'service']) as ('service' | 'bare')[];
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const side of sides) {
    const profile = side === 'service' && values.profile && round === 0 ? ['--cpu-prof', '--cpu-prof-dir=bench/out'] : [];
    const { child, port } = await start(side === 'service' ? './support/serve.ts' : './support/bare-server.ts', profile);
    await run(port, 3); // warm-up: JIT, page cache, first heartbeat of every place (unknown → on)
    const cpuBefore = await cpuMicros(child);
    const result = await run(port, Number(values.duration));
    const cpu = (await cpuMicros(child)) - cpuBefore;
    await stop(child);
    results[side].push({
      perSecond: result.requests.average,
      cpuMicrosPerRequest: cpu / Math.max(1, result.requests.total),
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx + result.errors,
    });
  }
}
dir.cleanup();

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
console.log(`bench/ingest: ${places} places, ${values.connections} connections, ${values.duration} s × ${values.rounds} alternating rounds (medians)`);
for (const side of sides) {
  const list = results[side];
  console.log(
    `  ${side.padEnd(8)} ${String(Math.round(median(list.map((r) => r.perSecond)))).padStart(7)}/s   p50 ${median(list.map((r) => r.p50))} ms   p99 ${median(list.map((r) => r.p99))} ms   ` +
      `CPU ${median(list.map((r) => r.cpuMicrosPerRequest)).toFixed(1)} µs/request   ` +
      `runs: ${list.map((r) => Math.round(r.perSecond)).join(', ')}${list.some((r) => r.non2xx > 0) ? `   (non-2xx/errors: ${list.map((r) => r.non2xx).join(', ')})` : ''}`,
  );
}
if (sides.length === 2) {
  const ratio = median(results.service.map((r) => r.perSecond)) / median(results.bare.map((r) => r.perSecond));
  const cpuRatio = median(results.bare.map((r) => r.cpuMicrosPerRequest)) / median(results.service.map((r) => r.cpuMicrosPerRequest));
  console.log(`  ratio service / bare: ${ratio.toFixed(2)} in requests/s; ${cpuRatio.toFixed(2)} in CPU per request (bare µs / service µs)`);
}
