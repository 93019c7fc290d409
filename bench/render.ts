/**
 * Diagram and report rendering, two figures (issue 5's goals: ≤ 100 ms per diagram; heartbeat
 * p99 unchanged within noise while diagrams render; issue 14: the same while 1,000 monthly
 * reports render, and the report's own render time).
 *
 * 1. Render time: timeline → labels → ECharts option → PNG, per diagram, in this process.
 * 2. Heartbeat latency over real HTTP at a steady rate, with the service in its own process:
 *    without rendering, while N diagrams render in the render worker (as the service does),
 *    while M monthly reports go out the way the 1st of the month sends them — queued in the
 *    outbox, rendered in the worker by the monthly deliverer (read from the database there: the
 *    month and the one before, summarised, captioned, drawn), then posted at Telegram's pace to
 *    a fake Bot API in a third process — and, for contrast, while some diagrams render on the
 *    main thread (what the worker avoids). The reports' render times (median, p95) are the
 *    worker's own, per report, as the deliverer logs them.
 *
 * Run: node --import tsx bench/render.ts [renders] [--diagrams 500] [--reports 1000] [--rate 300]
 *      [--main-thread 100] [--service-cpus 0]   (the service on one CPU, as on a one-vCPU
 *      machine; needs taskset)
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { App } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { openReadOnly, openStore } from '../src/db/connection.js';
import { renderWeekDiagram } from '../src/diagram/render-png.js';
import type { PowerInterval } from '../src/diagram/timeline.js';
import { DiagramRenderer } from '../src/jobs/diagram-renderer.js';
import { createLogger } from '../src/logger.js';
import { OutboxStore } from '../src/outbox/outbox-store.js';
import { lastFullMonth } from '../src/reports/periods.js';
import { createI18n, translatorFor } from '../src/i18n/translator.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedPlaces } from './support/seed.js';

const TIME_ZONE = 'Europe/Kyiv';
const uk = translatorFor(createI18n(), 'uk');
const WARM_UP = 20;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    diagrams: { type: 'string', default: '500' },
    reports: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '300' },
    'main-thread': { type: 'string', default: '100' },
    /** Pins the service to these CPUs (e.g. "0": a one-vCPU machine), via taskset. */
    'service-cpus': { type: 'string' },
    serve: { type: 'boolean', default: false },
  },
});

/** A scheduled-outage week: 3–5 outages a day of 20 min to 4 h, one server-down gap. */
function realisticWeek(now: number, seedValue = 42, days = 8): PowerInterval[] {
  let seed = seedValue;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const intervals: PowerInterval[] = [];
  const start = DateTime.fromMillis(now, { zone: TIME_ZONE }).startOf('day').minus({ days }).toMillis();
  let cursor = start;
  while (cursor < now) {
    const onFor = (1 + random() * 4) * 3_600_000;
    const offFor = (1 / 3 + random() * 3.5) * 3_600_000;
    const offAt = Math.min(cursor + onFor, now);
    intervals.push({ status: 'on', startedAt: cursor, endedAt: offAt === now ? null : offAt });
    if (offAt === now) break;
    const onAt = Math.min(offAt + offFor, now);
    intervals.push({ status: 'off', startedAt: offAt, endedAt: onAt === now ? null : onAt });
    cursor = onAt;
  }
  intervals.push({ status: 'unknown', startedAt: now - 3 * 86_400_000, endedAt: now - 3 * 86_400_000 + 2 * 3_600_000 });
  return intervals;
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

// ---------------------------------------------------------------------------------------------
// 1. Render time in one process

function renderTimes(renders: number): void {
  const now = DateTime.fromISO('2025-11-19T15:40', { zone: TIME_ZONE }).toMillis();
  const intervals = realisticWeek(now);
  const input = { intervals, placeCreatedAt: 0, now, timeZone: TIME_ZONE, t: uk, placeName: 'Дача під Києвом' };

  const coldStart = performance.now();
  let bytes = renderWeekDiagram(input).length;
  const coldMs = performance.now() - coldStart;
  for (let i = 0; i < WARM_UP; i++) renderWeekDiagram(input);

  const timings: number[] = [];
  for (let i = 0; i < renders; i++) {
    const started = performance.now();
    bytes = renderWeekDiagram({ ...input, now: now + i * 60_000 }).length;
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);

  const outages = intervals.filter((interval) => interval.status === 'off').length;
  console.log(`diagram render (${renders} renders after ${WARM_UP} warm-up, ${intervals.length} intervals, ${outages} outages, PNG ${(bytes / 1024).toFixed(0)} KiB)`);
  console.log(`  first render (fonts, ECharts warm-up): ${fmt(coldMs)}`);
  console.log(`  median: ${fmt(percentile(timings, 50))}`);
  console.log(`  p95:    ${fmt(percentile(timings, 95))}`);
  console.log(`  max:    ${fmt(timings[timings.length - 1] ?? Number.NaN)}`);
  console.log(`  rss:    ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

// ---------------------------------------------------------------------------------------------
// 2. Heartbeat latency while diagrams render

type ServerCommand = { render: number; on: 'worker' | 'main-thread'; kind?: 'diagram' | 'monthly-report' } | 'loop-delay' | 'stop';
type LoopDelay = { p99: number; max: number };
/** `renderMs`: each render's own time in the worker, when asked (the reports); `posted`: reports Telegram accepted. */
type Rendered = { rendered: number; ms: number; renderMs?: number[]; posted?: number };
type ServerAnswer = { port: number } | Rendered | LoopDelay;

async function heartbeatsWhileRendering(): Promise<void> {
  const diagrams = Number(values.diagrams);
  const reports = Number(values.reports);
  const mainThreadDiagrams = Number(values['main-thread']);
  const rate = Number(values.rate);

  const dir = tempDir('bench-render-');
  const databasePath = dir.file('monitor.db');
  const store = await openStore(databasePath);
  const now = Date.now();
  // Reports draw last month and compare it with the month before: about three months of history.
  const historyDays = reports > 0 ? 95 : 8;
  const keys = seedPlaces(store.sqlite, diagrams, now - (historyDays + 2) * 86_400_000);
  const insertEvent = store.sqlite.prepare(
    `INSERT INTO power_events (location_id, status, started_at, ended_at, start_edge) VALUES (?, ?, ?, ?, 'heartbeat')`,
  );
  store.sqlite.transaction(() => {
    for (let id = 1; id <= diagrams; id++) {
      for (const interval of realisticWeek(now, id, historyDays)) insertEvent.run(id, interval.status, interval.startedAt, interval.endedAt);
    }
  })();
  await store.close();

  // Monthly reports go to Telegram: a fake Bot API in a process of its own.
  const telegram = reports > 0 ? fork(fileURLToPath(new URL('./support/fake-telegram.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] }) : null;
  const apiRoot = telegram ? await new Promise<string>((resolve) => telegram.once('message', (message) => resolve((message as { apiRoot: string }).apiRoot))) : null;
  const telegramEnv = apiRoot ? { BOT_TOKEN: '123456789:AAbenchTokenForTheFakeBotApi_abcdefghij', TELEGRAM_API_ROOT: apiRoot } : {};

  const pinned = values['service-cpus'];
  const server = fork(fileURLToPath(import.meta.url), ['--serve'], {
    ...(pinned ? { execPath: 'taskset', execArgv: ['-c', pinned, process.execPath, '--import', 'tsx'] } : { execArgv: ['--import', 'tsx'] }),
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', ...telegramEnv },
  });
  const answers: ServerAnswer[] = [];
  const waiters: ((answer: ServerAnswer) => void)[] = [];
  server.on('message', (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message as ServerAnswer);
    else answers.push(message as ServerAnswer);
  });
  const nextAnswer = () => new Promise<ServerAnswer>((resolve) => (answers.length > 0 ? resolve(answers.shift()!) : waiters.push(resolve)));
  const { port } = (await nextAnswer()) as { port: number };

  const load = new HeartbeatLoad(port, keys, rate);
  load.start();
  await sleep(3000); // warm-up: JIT, first heartbeat of every place
  const command = async <A extends ServerAnswer>(message: ServerCommand): Promise<A> => {
    server.send(message);
    return (await nextAnswer()) as A;
  };
  const measure = async (work: () => Promise<void>): Promise<Latencies> => {
    load.reset();
    await command('loop-delay');
    await work();
    const latencies = load.reset();
    latencies.loop = await command<LoopDelay>('loop-delay');
    return latencies;
  };

  // The worker is long-lived: it starts once (with the first render), then serves every hour.
  // Its start is timed on its own (under tsx it includes compiling the TypeScript).
  const workerStart = await command<Rendered>({ render: 1, on: 'worker' });
  let inWorker: Rendered = { rendered: 0, ms: 0 };
  const whileWorker = await measure(async () => {
    inWorker = await command<Rendered>({ render: diagrams, on: 'worker' });
  });
  let reportsInWorker: Rendered = { rendered: 0, ms: 0 };
  const whileReports =
    reports > 0
      ? await measure(async () => {
          reportsInWorker = await command<Rendered>({ render: reports, on: 'worker', kind: 'monthly-report' });
        })
      : null;
  // As long as the renders took, so rare events (a WAL checkpoint, a GC) get the same chance.
  const baselineMs = Math.max(inWorker.ms, reportsInWorker.ms);
  const baseline = await measure(() => sleep(baselineMs));
  let onMain: Rendered = { rendered: 0, ms: 0 };
  const whileMain =
    mainThreadDiagrams > 0
      ? await measure(async () => {
          onMain = await command<Rendered>({ render: mainThreadDiagrams, on: 'main-thread' });
        })
      : null;
  await load.stop();
  server.send('stop' satisfies ServerCommand);
  await new Promise((resolve) => server.once('exit', resolve));
  if (telegram) {
    telegram.send('stop');
    await new Promise((resolve) => telegram.once('exit', resolve));
  }
  dir.cleanup();

  console.log();
  const where = pinned ? `, the service on CPU ${pinned}` : '';
  console.log(`heartbeat latency over HTTP at ${rate}/s (${diagrams} places with ${historyDays} days of outages each${where})`);
  const line = (label: string, latencies: Latencies, note = '') => console.log(`  ${label.padEnd(38)}${latencies.row()}${note}`);
  console.log(`  ${''.padEnd(38)}${'requests'.padEnd(10)} ${'p50'.padEnd(11)}${'p99'.padEnd(11)}${'max'.padEnd(11)}${'errors'.padEnd(8)}service event-loop delay p99 / max`);
  line(`no rendering (${(baselineMs / 1000).toFixed(0)} s)`, baseline);
  line(`${diagrams} diagrams in the render worker`, whileWorker);
  if (whileReports) line(`${reports} monthly reports via the outbox`, whileReports);
  if (whileMain) line(`${mainThreadDiagrams} diagrams on the main thread`, whileMain, '   (for contrast: what the worker avoids)');
  console.log(`  worker: ${inWorker.rendered} diagrams in ${(inWorker.ms / 1000).toFixed(1)} s = ${fmt(inWorker.ms / inWorker.rendered)} each (its start and first render before: ${fmt(workerStart.ms)})`);
  if (whileReports) {
    const each = [...(reportsInWorker.renderMs ?? [])].sort((a, b) => a - b);
    console.log(
      `  outbox: ${reportsInWorker.rendered} monthly reports (${historyDays} days of history a place) queued, rendered and posted (${reportsInWorker.posted ?? 0} accepted by the fake Telegram) in ${(reportsInWorker.ms / 1000).toFixed(1)} s;\n` +
        `    each in the worker (read + summarise + caption + PNG): median ${fmt(percentile(each, 50))}, p95 ${fmt(percentile(each, 95))}, max ${fmt(each.at(-1) ?? Number.NaN)} (${each.length} timed)`,
    );
  }
  if (whileMain) console.log(`  main thread: ${onMain.rendered} diagrams in ${(onMain.ms / 1000).toFixed(1)} s = ${fmt(onMain.ms / onMain.rendered)} each`);
}

class Latencies {
  readonly samples: number[] = [];
  errors = 0;
  /** The service's own event-loop delay over the same span. */
  loop: LoopDelay | null = null;
  row(): string {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const cell = (ms: number) => fmt(ms).padEnd(11);
    const loop = this.loop ? `${fmt(this.loop.p99)} / ${fmt(this.loop.max)}` : '';
    return `${String(sorted.length).padEnd(10)} ${cell(percentile(sorted, 50))}${cell(percentile(sorted, 99))}${cell(sorted.at(-1) ?? Number.NaN)}${String(this.errors).padEnd(8)}${loop}`;
  }
}

/** An open-loop generator: sends `rate` heartbeats a second whatever the answers take. */
class HeartbeatLoad {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private current = new Latencies();
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();
  private next = 0;

  constructor(
    private readonly port: number,
    private readonly keys: string[],
    private readonly rate: number,
  ) {}

  start(): void {
    const tickMs = 10;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += (this.rate * tickMs) / 1000;
      for (; owed >= 1; owed--) this.send();
    }, tickMs);
  }

  /** Returns what was measured since the last reset and starts a new measurement. */
  reset(): Latencies {
    const done = this.current;
    this.current = new Latencies();
    return done;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.inFlight);
    this.agent.destroy();
  }

  private send(): void {
    const key = this.keys[this.next++ % this.keys.length]!;
    const into = this.current;
    const started = performance.now();
    const body = JSON.stringify({ uptime_ms: 1000 * this.next + 5000, boot_id: 'bench-boot', rssi: -60, fw: '1.0.0' });
    const done = new Promise<void>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path: '/api/heartbeat', method: 'POST', agent: this.agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode && res.statusCode < 300) into.samples.push(performance.now() - started);
            else into.errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        into.errors++;
        resolve();
      });
      req.end(body);
    });
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
  }
}

// ---------------------------------------------------------------------------------------------
// The service under test: its own process, the real sweep worker, the render worker.

async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  // With Telegram (the monthly reports), the deliverer's log of each posted report gives its render time.
  const reportRenderMs: number[] = [];
  const logger = config.botToken
    ? pino(
        { level: 'info' },
        {
          write(line: string) {
            if (line.includes('"monthly report posted"')) reportRenderMs.push((JSON.parse(line) as { renderMs: number }).renderMs);
          },
        },
      )
    : createLogger({ level: 'silent', pretty: false });
  const app = new App({ config, logger });
  await app.start();
  if (config.botToken) {
    // Only the monthly reports are measured: no daily diagrams, and a channel per place.
    app.system.telegram?.diagrams.stop();
    const ids = (await app.system.places.list()).map((place) => place.id);
    for (const id of ids) await app.system.places.setChannel(id, String(-1_002_000_000_000 - id));
  }
  const renderer = new DiagramRenderer({ database: { path: config.databasePath }, logger });
  const reader = openReadOnly(config.databasePath);
  const place = reader.prepare<[number], { name: string; created_at: number }>('SELECT name, created_at FROM locations WHERE id = ?');
  const events = reader.prepare<[number], { status: 'on' | 'off' | 'unknown'; started_at: number; ended_at: number | null }>(
    'SELECT status, started_at, ended_at FROM power_events WHERE location_id = ? ORDER BY started_at',
  );
  const places = reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM locations').get()!.n;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  process.send?.({ port: app.port } satisfies ServerAnswer);

  process.on('message', async (message: ServerCommand) => {
    if (message === 'loop-delay') {
      process.send?.({ p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } satisfies ServerAnswer);
      loopDelay.reset();
      return;
    }
    if (message === 'stop') {
      await renderer.stop();
      reader.close();
      await app.stop();
      process.exit(0);
    }
    const started = performance.now();
    const now = Date.now();
    if (message.on === 'worker' && message.kind === 'monthly-report') {
      // The monthly report of every place at once, queued as the 1st of the month queues them,
      // then delivered by the service itself: rendered in the worker, posted at Telegram's pace.
      const month = lastFullMonth(now, TIME_ZONE);
      const key = `${month.year}-${String(month.month).padStart(2, '0')}`;
      const outbox = new OutboxStore(app.system.store.sqlite);
      reportRenderMs.length = 0;
      outbox.inTransaction(() => {
        for (let index = 0; index < message.render; index++) {
          outbox.enqueue({ kind: 'monthly_report', placeId: (index % places) + 1, payload: { month: key } }, app.clock.now());
        }
      });
      app.system.outbox.wake();
      const pending = reader.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE kind = 'monthly_report' AND sent_at IS NULL AND failed_at IS NULL");
      while (pending.get()!.n > 0) await sleep(100);
      const posted = reader.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE kind = 'monthly_report' AND message_id IS NOT NULL").get()!.n;
      process.send?.({ rendered: message.render, ms: performance.now() - started, renderMs: [...reportRenderMs], posted } satisfies ServerAnswer);
      return;
    }
    if (message.on === 'worker') {
      // All at once, as the schedule queues them at midnight; the worker takes them in turn.
      // Each PNG is dropped once it arrives, as the service drops it once it is uploaded.
      await Promise.all(
        Array.from({ length: message.render }, (_, index) => renderer.render({ placeId: index + 1, now, timeZone: TIME_ZONE }).then(() => undefined)),
      );
    } else {
      for (let id = 1; id <= message.render; id++) {
        const row = place.get(id)!;
        const intervals = events.all(id).map((event) => ({ status: event.status, startedAt: event.started_at, endedAt: event.ended_at }));
        renderWeekDiagram({ intervals, placeCreatedAt: row.created_at, now, timeZone: TIME_ZONE, t: uk, placeName: row.name });
        await nextTurn(); // let requests in between renders, as a naive in-process renderer would
      }
    }
    process.send?.({ rendered: message.render, ms: performance.now() - started } satisfies ServerAnswer);
  });
}

if (values.serve) {
  await serve();
} else {
  renderTimes(Number(positionals[0] ?? 200));
  await heartbeatsWhileRendering();
}
