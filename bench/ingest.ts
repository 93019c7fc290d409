// Heartbeats per second and latency over real HTTP, against a bare Node http server doing the
// same request shape (bench/support/bare-server.ts), in alternating runs; medians are printed with
// the ratio service / bare. Goals: issue 2 ≥ 5,000/s with p99 < 10 ms; issue 16 ≥ 0.7 × bare.
// Requests/s counts the 2xx answers (a 503 is fast and stores nothing); the others are listed.
//   npm run bench:ingest [-- --duration 10 --connections 50 --places 10000 --rounds 3]
//   --only service|bare    one side only; --profile writes a CPU profile of the service to bench/out/
//   --tsx                  both sides through tsx instead of compiled (bench/support/service-process.ts)
// PostgreSQL (issue 25): the service on DATABASE_URL, on a throwaway cluster of its own or on
// `--database-url` (an empty database); `--instances 2` runs two service processes on it (one
// leads, both take heartbeats) with autocannon's connections spread round-robin over both ports.
//   --storage postgres [--instances 2] [--database-url postgres://…]
//   --compare              in one run, alternating rounds: bare, SQLite, PostgreSQL, PostgreSQL × 2
//   --lease-s 60           a longer leader's lease than production's 5 s (bench/support/lease.ts)
// A service process that exits during a round (on PostgreSQL: 75, the leader lost its lease) is
// reported with the round's figures.
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openStore } from '../src/db/connection.js';
import { tempDir } from '../test/support/temp-dir.js';
import { openPostgresTarget, type PostgresTarget } from './support/postgres-target.js';
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
    storage: { type: 'string', default: 'sqlite' },
    instances: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    compare: { type: 'boolean', default: false },
    'lease-s': { type: 'string' },
  },
});

/** One thing measured: the bare server, or the service on a storage with one or two processes. */
interface Side {
  label: string;
  kind: 'bare' | 'sqlite' | 'postgres';
  instances: number;
}
const bare: Side = { label: 'bare', kind: 'bare', instances: 1 };
const sides = chooseSides();
const places = Number(values.places);
prepareService();
const dir = tempDir('bench-ingest-');
const databasePath = dir.file('monitor.db');
/** Each storage's device keys (every side gets the same request shape, each on its own database). */
const keysOf = new Map<Side['kind'], string[]>();
if (sides.some((side) => side.kind === 'sqlite')) {
  const store = await openStore(databasePath);
  keysOf.set('sqlite', seedPlaces(store.sqlite, places, Date.now()));
  await store.close();
}
let postgres: PostgresTarget | undefined;
if (sides.some((side) => side.kind === 'postgres')) {
  postgres = await openPostgresTarget(values['database-url']);
  keysOf.set('postgres', seedPlaces(postgres.store.connection, places, Date.now()));
  await postgres.store.close();
}
// The bare server checks no key; any list of the right length does.
keysOf.set('bare', keysOf.get('sqlite') ?? keysOf.get('postgres') ?? Array.from({ length: places }, (_, i) => `bare-${i}`));

/** Which sides this run measures, from the flags; a contradiction is refused before anything starts. */
function chooseSides(): Side[] {
  const refuse = (problem: string): never => {
    console.error(`bench/ingest: ${problem}`);
    process.exit(2);
  };
  const instances = Number(values.instances);
  if (values['lease-s'] !== undefined && !(Number(values['lease-s']) > 0)) refuse(`--lease-s is a number of seconds above 0, not "${values['lease-s']}"`);
  if (values.storage !== 'sqlite' && values.storage !== 'postgres') refuse(`--storage is sqlite or postgres, not "${values.storage}"`);
  if (instances !== 1 && instances !== 2) refuse(`--instances is 1 or 2, not "${values.instances}"`);
  if (values.only !== undefined && values.only !== 'service' && values.only !== 'bare') refuse(`--only is service or bare, not "${values.only}"`);
  if (values.compare) {
    if (values.only !== undefined || values.storage !== 'sqlite' || instances !== 1) refuse('--compare runs every side itself; leave out --only, --storage and --instances');
    return [bare, { label: 'sqlite', kind: 'sqlite', instances: 1 }, { label: 'postgres', kind: 'postgres', instances: 1 }, { label: 'postgres×2', kind: 'postgres', instances: 2 }];
  }
  if (values.storage === 'sqlite' && instances === 2) refuse('--instances 2 needs --storage postgres (SQLite\'s file lock lets one instance in)');
  if (values.storage === 'sqlite' && values['database-url'] !== undefined) refuse('--database-url needs --storage postgres');
  // SQLite alone keeps the label it always printed.
  const service: Side = values.storage === 'sqlite' ? { label: 'service', kind: 'sqlite', instances: 1 } : { label: instances === 2 ? 'postgres×2' : 'postgres', kind: 'postgres', instances };
  if (values.only === 'service') return [service];
  if (values.only === 'bare') return [bare];
  return [bare, service];
}

/** Exit codes of service processes that ended by themselves, by process. */
const exitedEarly = new Map<ChildProcess, number | null>();
const stopping = new Set<ChildProcess>();

async function start(script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = forkService(script, { execArgv, env: { ...env, PORT: '0' } });
  child.once('exit', (code) => {
    if (!stopping.has(child)) exitedEarly.set(child, code);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${String(code)} before it listened`)));
  });
  return { child, port };
}

/** The service's processes for `side`, started one after the other (on PostgreSQL the first leads). */
async function startSide(side: Side, execArgv: string[]): Promise<{ child: ChildProcess; port: number }[]> {
  if (side.kind === 'bare') return [await start('./support/bare-server.ts', process.env, execArgv)];
  // SQLite's side must not inherit a DATABASE_URL from the shell.
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const lease = values['lease-s'] === undefined ? {} : { BENCH_LEASE_S: values['lease-s'] };
  const storageEnv = side.kind === 'sqlite' ? { ...env, DATABASE_PATH: databasePath } : { ...env, ...lease, DATABASE_PATH: databasePath, DATABASE_URL: postgres!.url };
  const started: { child: ChildProcess; port: number }[] = [];
  try {
    for (let i = 0; i < side.instances; i += 1) started.push(await start('./support/serve.ts', storageEnv, i === 0 ? execArgv : []));
  } catch (error) {
    await Promise.all(started.map((s) => stop(s.child)));
    throw error;
  }
  return started;
}

/** The child's CPU time so far (µs, all its threads); 0 once it has exited (its CPU is not known then). */
function cpuMicros(child: ChildProcess): Promise<number> {
  if (exitedEarly.has(child) || !child.connected) return Promise.resolve(0);
  return new Promise((resolve) => {
    child.once('exit', () => resolve(0));
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

/** CPU of every process serving `side`: its own processes, and on PostgreSQL the database server's (µs). */
async function sideCpu(side: Side, children: ChildProcess[]): Promise<{ service: number; database: number | null }> {
  const service = (await Promise.all(children.map(cpuMicros))).reduce((sum, micros) => sum + micros, 0);
  return { service, database: side.kind === 'postgres' ? postgres!.serverCpuMicros() : null };
}

async function stop(child: ChildProcess): Promise<void> {
  if (exitedEarly.has(child) || child.exitCode !== null) return;
  stopping.add(child);
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}

const body = (uptime: number) => JSON.stringify({ uptime_ms: uptime, boot_id: 'bench-boot', reset_reason: 'POWERON', rssi: -60, fw: '1.0.0' });
let next = 0;
/** Loads every port at once: autocannon opens its connections round-robin over the urls, and one histogram holds them all. */
const run = (ports: number[], keys: string[], duration: number) =>
  autocannon({
    // autocannon takes several urls (its types say one).
    url: (ports.length === 1 ? `http://127.0.0.1:${ports[0]}/api/heartbeat` : ports.map((port) => `http://127.0.0.1:${port}/api/heartbeat`)) as string,
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
  /** The database server's CPU per answered request (PostgreSQL on a cluster of our own), else null. */
  databaseCpuMicrosPerRequest: number | null;
  p50: number;
  p99: number;
  non2xx: number;
  /** Exit codes of the side's processes that ended during the round. */
  exits: (number | null)[];
}
const results = new Map<Side, Figures[]>(sides.map((side) => [side, []]));
/** Why a side's service did not start, per round that it did not (on PostgreSQL: the leader lost its lease while taking over). */
const startFailures = new Map<Side, string[]>(sides.map((side) => [side, []]));
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const side of sides) {
    const profile = side.kind !== 'bare' && values.profile && round === 0 ? ['--cpu-prof', '--cpu-prof-dir=bench/out'] : [];
    let started: { child: ChildProcess; port: number }[];
    try {
      started = await startSide(side, profile);
    } catch (error) {
      startFailures.get(side)!.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    const children = started.map((s) => s.child);
    const ports = started.map((s) => s.port);
    await run(ports, keysOf.get(side.kind)!, 3); // warm-up: JIT, page cache, first heartbeat of every place (unknown → on)
    const cpuBefore = await sideCpu(side, children);
    const result = await run(ports, keysOf.get(side.kind)!, Number(values.duration));
    const cpuAfter = await sideCpu(side, children);
    await Promise.all(children.map(stop));
    const answered = Math.max(1, result.requests.total);
    const refused = result.non2xx + result.errors;
    results.get(side)!.push({
      // Heartbeats stored: a 503 (storage failing) is answered fast and must not count as ingest.
      perSecond: result.requests.average * Math.max(0, 1 - refused / answered),
      // A process that exited mid-round reads 0 at the end: its CPU is unknown, not negative.
      cpuMicrosPerRequest: Math.max(0, cpuAfter.service - cpuBefore.service) / answered,
      databaseCpuMicrosPerRequest: cpuAfter.database === null || cpuBefore.database === null ? null : (cpuAfter.database - cpuBefore.database) / answered,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: refused,
      exits: children.filter((child) => exitedEarly.has(child)).map((child) => exitedEarly.get(child)!),
    });
  }
}
await postgres?.stop();
dir.cleanup();

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const width = Math.max(8, ...sides.map((side) => side.label.length + 1));
console.log(
  `bench/ingest: ${places} places, ${values.connections} connections, ${values.duration} s × ${values.rounds} alternating rounds (medians)` +
    (values['lease-s'] === undefined || !postgres ? '' : `, leader's lease ${values['lease-s']} s`),
);
for (const side of sides) {
  const list = results.get(side)!;
  const failures = startFailures.get(side)!;
  if (failures.length > 0) console.log(`  ${side.label.padEnd(width)} did not start in ${failures.length} of ${values.rounds} rounds: ${[...new Set(failures)].join('; ')}`);
  if (list.length === 0) continue;
  const database = list.map((r) => r.databaseCpuMicrosPerRequest).filter((micros): micros is number => micros !== null);
  console.log(
    `  ${side.label.padEnd(width)} ${String(Math.round(median(list.map((r) => r.perSecond)))).padStart(7)}/s   p50 ${median(list.map((r) => r.p50))} ms   p99 ${median(list.map((r) => r.p99))} ms   ` +
      `CPU ${median(list.map((r) => r.cpuMicrosPerRequest)).toFixed(1)} µs/request   ` +
      (database.length > 0 ? `+ database server ${median(database).toFixed(1)} µs/request   ` : '') +
      `runs: ${list.map((r) => Math.round(r.perSecond)).join(', ')}${list.some((r) => r.non2xx > 0) ? `   (non-2xx/errors: ${list.map((r) => r.non2xx).join(', ')})` : ''}` +
      (list.some((r) => r.exits.length > 0) ? `   (a process exited during rounds: ${list.map((r) => (r.exits.length > 0 ? `code ${r.exits.join('+')}` : '-')).join(', ')})` : ''),
  );
}
if (sides.includes(bare) && results.get(bare)!.length > 0) {
  const bareFigures = results.get(bare)!;
  for (const side of sides.filter((s) => s !== bare && results.get(s)!.length > 0)) {
    const list = results.get(side)!;
    const ratio = median(list.map((r) => r.perSecond)) / median(bareFigures.map((r) => r.perSecond));
    const cpuRatio = median(bareFigures.map((r) => r.cpuMicrosPerRequest)) / median(list.map((r) => r.cpuMicrosPerRequest));
    console.log(`  ratio ${side.label} / bare: ${ratio.toFixed(2)} in requests/s; ${cpuRatio.toFixed(2)} in CPU per request (bare µs / ${side.label} µs)`);
  }
}
