// The service as the benchmarks run it: a separate process (so the load generator does not share
// its event loop), the real sweep worker, logs off, the logging sender unless BOT_TOKEN is set.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_LEASE } from '../../src/db/leadership.js';
import { createLogger } from '../../src/logger.js';
import { leaseOf } from './lease.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
// BENCH_LEASE_S (bench:ingest --lease-s): a longer leader's lease on PostgreSQL than production's.
const leaseTiming = process.env.BENCH_LEASE_S ? leaseOf(Number(process.env.BENCH_LEASE_S)) : DEFAULT_LEASE;
const app = new App({ config, logger: createLogger({ level: 'silent', pretty: false }), leaseTiming });
await app.start();
process.send?.({ port: app.port });
// The service's own event-loop delay, for benches that ask (bench/storage-faults.ts).
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
process.on('message', async (message) => {
  if (message === 'stop') {
    await app.stop();
    process.exit(0);
  }
  // bench/alerts --midnight: the daily schedule fires now, as it does at 00:00.
  if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'run-diagrams') app.system.telegram?.diagrams.runDue();
  if (message === 'memory') {
    process.send?.({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
  }
  if (message === 'cpu') {
    // CPU time of the whole process (all threads), in µs: a figure the load of other processes on
    // a shared machine does not change, unlike requests per second.
    const usage = process.cpuUsage();
    process.send?.({ cpuMicros: usage.user + usage.system });
  }
  if (message === 'loop-delay') {
    process.send?.({ loopDelay: { maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 } });
    loopDelay.reset();
  }
  if (message === 'fill-disk') {
    // A full disk, as far as SQLite can tell: no page can be added to the file.
    const sqlite = app.system.store.sqlite;
    sqlite.exec('CREATE TABLE IF NOT EXISTS bench_filler (x BLOB)');
    sqlite.pragma(`max_page_count = ${Number(sqlite.pragma('page_count', { simple: true }))}`);
    const fill = sqlite.prepare('INSERT INTO bench_filler VALUES (zeroblob(512))');
    try {
      for (;;) fill.run();
    } catch {
      // SQLITE_FULL: every page is used.
    }
    process.send?.({ filled: true });
  }
  if (message === 'free-disk') {
    app.system.store.sqlite.pragma('max_page_count = 1073741823');
    process.send?.({ freed: true });
  }
});
