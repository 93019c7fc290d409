// Memory of the service as the container runs it (compiled dist/, NODE_ENV=production, the bot on
// against a local fake Bot API) at N places: RSS once it has settled (idle), then the peak and the
// end figure while bench:ingest-style heartbeat load runs. RSS is read from /proc (VmRSS; VmHWM is
// the kernel's high-water mark), so it counts every thread: the main isolate, the worker isolates,
// native buffers and SQLite's page cache.
//   npm run bench:memory [-- --places 10000 --duration 15 --connections 50 --diagrams 0 --snapshot]
// --diagrams N gives the first N places a channel, so their daily diagrams are rendered and posted
// at start (the render worker runs, then stops after a minute idle: give --settle 90 to see that);
// --snapshot writes heap snapshots of the main thread to bench/out/; node runs with the flags of the
// Dockerfile's CMD, or with --node-options="…" (to try V8 settings; --node-options= for none);
// with the image's allocator (the Dockerfile's LD_PRELOAD, jemalloc) when this machine has it
// (`apt-get install libjemalloc2`), or glibc's with --allocator glibc.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { openStore } from '../src/db/connection.js';
import { startFakeBotApi } from '../test/support/fake-bot-api.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedPlaces } from './support/seed.js';

const { values } = parseArgs({
  options: {
    places: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '50' },
    settle: { type: 'string', default: '30' },
    diagrams: { type: 'string', default: '0' },
    snapshot: { type: 'boolean', default: false },
    'node-options': { type: 'string' },
    allocator: { type: 'string', default: 'image' },
  },
});
const places = Number(values.places);
const diagrams = Number(values.diagrams);
const REPO = resolve(import.meta.dirname, '..');
const BOT_TOKEN = '7000000001:AAFakeTokenForTheMemoryBenchmark_0123456789';
const run = promisify(execFile);

// The container's layout: compiled dist/, locales/, node_modules/, package.json.
const dir = tempDir('bench-memory-');
const appDir = join(dir.path, 'app');
await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(appDir, 'dist')], { cwd: REPO });
cpSync(join(REPO, 'locales'), join(appDir, 'locales'), { recursive: true });
copyFileSync(join(REPO, 'package.json'), join(appDir, 'package.json'));
symlinkSync(join(REPO, 'node_modules'), join(appDir, 'node_modules'), 'dir');

const databasePath = dir.file('monitor.db');
const store = await openStore(databasePath);
const keys = seedPlaces(store.sqlite, places, Date.now());
if (diagrams > 0) store.sqlite.prepare("UPDATE locations SET channel_id = '-100' || (1000000 + id) WHERE id <= ?").run(diagrams);
await store.close();

const fake = await startFakeBotApi({ token: BOT_TOKEN, longPollCapMs: 1000 });
const snapshotDir = join(REPO, 'bench/out');
if (values.snapshot) mkdirSync(snapshotDir, { recursive: true });
// The node flags the container runs with (the Dockerfile's CMD), unless --node-options says otherwise.
const dockerCmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(REPO, 'Dockerfile'), 'utf8'))?.[1];
const productionFlags = dockerCmd ? (JSON.parse(dockerCmd) as string[]).filter((part) => part.startsWith('--')) : [];
const nodeOptions = values['node-options'] === undefined ? productionFlags : values['node-options'].split(' ').filter(Boolean);
// The allocator the image preloads (ENV LD_PRELOAD=…), found here the way the dynamic loader finds it.
const imagePreload = /^\s*LD_PRELOAD=(\S+)/m.exec(readFileSync(join(REPO, 'Dockerfile'), 'utf8'))?.[1];
const preload = values.allocator === 'glibc' || !imagePreload ? undefined : findLibrary(imagePreload);
function findLibrary(name: string): string | undefined {
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/lib'];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}
const child = spawn(process.execPath, [...nodeOptions, ...(values.snapshot ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []), 'dist/main.js'], {
  cwd: appDir,
  env: { PATH: process.env.PATH, ...(preload ? { LD_PRELOAD: preload } : {}), NODE_ENV: 'production', PORT: '0', DATABASE_PATH: databasePath, LOG_LEVEL: 'info', BOT_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, OWNER_ID: '1001' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolvePort, reject) => {
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const match = /"port":(\d+)[^\n]*power monitor is up/.exec(buffered);
    if (match) resolvePort(Number(match[1]));
  });
  child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
});

const status = (): { rssMiB: number; peakMiB: number; threads: number } => {
  const text = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024, threads: kib('Threads') };
};

// Idle: started, every place known, nothing to do. Wait for the RSS to stop moving.
const settleS = Number(values.settle);
let idle = status();
for (let i = 0; i < settleS; i += 1) {
  await sleep(1000);
  idle = status();
}
if (values.snapshot) {
  child.kill('SIGUSR2');
  await sleep(3000);
}
const idleAfterStart = idle;

// Load: every place's board posts heartbeats (the first one of each turns it from unknown to on).
const body = (uptime: number) => JSON.stringify({ uptime_ms: uptime, boot_id: 'bench-boot', reset_reason: 'POWERON', rssi: -60, fw: '1.0.0' });
let next = 0;
let loadPeak = 0;
const sampler = setInterval(() => (loadPeak = Math.max(loadPeak, status().rssMiB)), 200);
const result = await autocannon({
  url: `http://127.0.0.1:${port}/api/heartbeat`,
  method: 'POST',
  connections: Number(values.connections),
  duration: Number(values.duration),
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
clearInterval(sampler);
const underLoad = status();
await sleep(settleS * 1000);
const idleAfterLoad = status();
if (values.snapshot) {
  child.kill('SIGUSR2');
  await sleep(3000);
}

child.kill('SIGTERM');
await new Promise((resolveExit) => child.once('exit', resolveExit));
await fake.close();
dir.cleanup();

const mib = (value: number) => `${value.toFixed(0)} MiB (${((value * 2 ** 20) / 1e6).toFixed(0)} MB)`;
console.log(`bench/memory: ${places} places, compiled service with the bot on (fake Bot API), ${diagrams} places with a channel (diagrams at start), node ${nodeOptions.join(' ') || '(no flags)'}`);
console.log(
  `  allocator: ${preload ? `${preload} (as in the image)` : values.allocator === 'glibc' ? "glibc's malloc (--allocator glibc)" : `glibc's malloc — the image's ${imagePreload ?? 'allocator'} is not installed here (apt-get install libjemalloc2)`}`,
);
console.log(`  idle after start:      RSS ${mib(idleAfterStart.rssMiB)}, ${idleAfterStart.threads} threads`);
console.log(`  under ingest load:     peak RSS ${mib(loadPeak)} (sampled every 200 ms), ${Math.round(result.requests.average)} heartbeats/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx`);
console.log(`  high-water mark:       ${mib(underLoad.peakMiB)} (VmHWM: the most the process ever held, start included)`);
console.log(`  idle after the load:   RSS ${mib(idleAfterLoad.rssMiB)}`);
if (values.snapshot) console.log(`  heap snapshots in ${snapshotDir}`);
