// Outage schedules: what reading a source costs, and what the plan adds to each alert.
// Files are generated in the shape of the real ones (GPV like outage-data-ua's kyiv.json with its
// weekly preset, ~70 KB; a 24-queue one like dnipro.json; a Yasno reply with 48 groups).
// Then the monitor's hook as it runs on a power change (the place's settings row, the plan, the
// lookup; nothing on a heartbeat that changes nothing), and one pass of the schedule posts
// (warnings and plan changes, every minute) over many places.
//   npm run bench:schedules [-- --runs 200 --places 10000]
import { parseArgs } from 'node:util';
import { openStore } from '../src/db/connection.js';
import { createLogger } from '../src/logger.js';
import type { Alert } from '../src/outbox/payload-parts.js';
import { OutboxStore } from '../src/outbox/outbox-store.js';
import { ScheduleService } from '../src/schedules/schedule-service.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedWatchedPlaces } from './support/seed.js';
import { lookupOff, lookupOn, warningDue } from '../src/schedules/lookups.js';
import { parseSchedule } from '../src/schedules/parse-schedule.js';
import { offPlanLine, onPlanLines, renderPlanLine } from '../src/schedules/plan-text.js';
import { buildQueuePlan, freshnessRules, type SourceCopy } from '../src/schedules/queue-plan.js';
import { createI18n, translatorFor } from '../src/i18n/translator.js';
import { PlaceStore } from '../src/places/place-store.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, places: { type: 'string', default: '10000' } } });
const runs = Number(values.runs);
const placeCount = Number(values.places);
const ZONE = 'Europe/Kyiv';
const VALUES = ['yes', 'yes', 'yes', 'no', 'no', 'first', 'second'];
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const hours = (values: readonly string[]) => Object.fromEntries(Array.from({ length: 24 }, (_, i) => [String(i + 1), pick(values)]));

function gpvFile(queueCount: number, now: number): string {
  const queues = Array.from({ length: queueCount }, (_, i) => `GPV${Math.floor(i / 2) + 1}.${(i % 2) + 1}`);
  const midnight = (offset: number) => String(Math.floor(new Date(now + offset * 86_400_000).setUTCHours(-2, 0, 0, 0) / 1000));
  const day = () => Object.fromEntries(queues.map((q) => [q, hours(VALUES)]));
  return JSON.stringify(
    {
      regionId: 'bench',
      lastUpdated: new Date(now).toISOString(),
      fact: { data: { [midnight(0)]: day(), [midnight(1)]: day() }, update: '14.01.2026 20:05', today: Number(midnight(0)) },
      preset: {
        sch_names: Object.fromEntries(queues.map((q) => [q, `Черга ${q.slice(3)}`])),
        time_zone: Object.fromEntries(Array.from({ length: 24 }, (_, i) => [String(i + 1), [`${i}-${i + 1}`, `${i}:00`, `${i + 1}:00`]])),
        data: Object.fromEntries(queues.map((q) => [q, Object.fromEntries(Array.from({ length: 7 }, (_, d) => [String(d + 1), hours(['yes', 'maybe', 'mfirst', 'msecond'])]))])),
      },
    },
    null,
    2,
  );
}

function yasnoReply(groups: number): string {
  const day = (date: string) => {
    const slots = [];
    let at = 0;
    while (at < 1440) {
      const length = 30 * (1 + Math.floor(random() * 8));
      const end = Math.min(1440, at + length);
      slots.push({ start: at, end, type: random() < 0.4 ? 'Definite' : 'NotPlanned' });
      at = end;
    }
    return { slots, date, status: 'ScheduleApplies' };
  };
  const body: Record<string, unknown> = {};
  for (let g = 0; g < groups; g++) {
    body[`${Math.floor(g / 2) + 1}.${(g % 2) + 1}`] = { today: day('2026-01-14T00:00:00+02:00'), tomorrow: day('2026-01-15T00:00:00+02:00'), updatedOn: '2026-01-14T18:00:00+00:00' };
  }
  return JSON.stringify(body, null, 4);
}

function measure(label: string, iterations: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(i); // warm up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    fn(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p99 = times[Math.floor(times.length * 0.99)]!;
  const unit = median < 0.1 ? 'µs' : 'ms';
  const scale = unit === 'µs' ? 1000 : 1;
  console.log(`${label.padEnd(52)} median ${(median * scale).toFixed(unit === 'µs' ? 2 : 3)} ${unit}   p99 ${(p99 * scale).toFixed(unit === 'µs' ? 2 : 3)} ${unit}`);
  return median;
}

const now = Date.UTC(2026, 0, 14, 19);
const kyivLike = gpvFile(12, now);
const dniproLike = gpvFile(24, now);
const yasno = yasnoReply(48);
console.log(`Files: GPV 12 queues ${(kyivLike.length / 1024).toFixed(0)} KB, GPV 24 queues ${(dniproLike.length / 1024).toFixed(0)} KB, Yasno 48 groups ${(yasno.length / 1024).toFixed(0)} KB\n`);

console.log('Reading a source (once per poll that brings new content, and at start):');
measure('parse GPV, 12 queues × 2 days + weekly preset', runs, () => parseSchedule('gpv', kyivLike, ZONE));
measure('parse GPV, 24 queues × 2 days + weekly preset', runs, () => parseSchedule('gpv', dniproLike, ZONE));
measure('parse Yasno, 48 groups × 2 days', runs, () => parseSchedule('yasno', yasno, ZONE));
const dstFile = kyivLike.replace(/"\d{10}"/, `"${Date.UTC(2026, 2, 28, 22) / 1000}"`);
measure('parse GPV with one 23-hour DST day', runs, () => parseSchedule('gpv', dstFile, ZONE));

console.log('\nPer alert (the poller builds the queue plan, then one lookup and its text):');
const copy: SourceCopy = { snapshot: parseSchedule('gpv', kyivLike, ZONE), fetchedAt: now, changedAt: now };
const rules = freshnessRules(15 * 60_000);
const record = { failures: 0, lastError: null, lastAttemptAt: now };
const queues = copy.snapshot.queues.map((q) => q.id);
const at = (i: number) => now - 12 * 3600_000 + (i % 1440) * 60_000;
const lookups = runs * 50;
measure('buildQueuePlan (staleness + merged runs)', lookups, (i) => buildQueuePlan(copy, record, queues[i % queues.length]!, now, rules));
const plan = buildQueuePlan(copy, record, 'GPV3.1', now, rules);
measure('lookupOff', lookups, (i) => lookupOff(plan, at(i)));
measure('lookupOn (comparison + next outage)', lookups, (i) => lookupOn(plan, at(i) - 3 * 3600_000, at(i)));
measure('warningDue (per place, per minute)', lookups, (i) => warningDue(plan, at(i), 30 * 60_000));
const t = translatorFor(createI18n(), 'uk');
const queue = copy.snapshot.queues[4]!;
measure('plan + lookupOff + the alert line text', lookups, (i) => {
  const p = buildQueuePlan(copy, record, 'GPV3.1', now, rules);
  const line = offPlanLine(lookupOff(p, at(i)), queue, { zone: ZONE, t });
  return line && renderPlanLine(line, t);
});
measure('plan + lookupOn + the alert lines text', lookups, (i) => {
  const p = buildQueuePlan(copy, record, 'GPV3.1', now, rules);
  return onPlanLines(lookupOn(p, at(i) - 3 * 3600_000, at(i)), { zone: ZONE, t }).map((l) => renderPlanLine(l, t));
});

console.log(`\nThe monitor's hook on a power change, with the database (${placeCount} places on schedules):`);
const dir = tempDir('bench-schedules-');
const db = await openStore(dir.file('monitor.db'));
seedWatchedPlaces(db.sqlite, placeCount, now);
const logger = createLogger({ level: 'silent', pretty: false });
const service: ScheduleService = new ScheduleService({
  sqlite: db.sqlite,
  places: new PlaceStore(db.sqlite),
  sources: [{ id: 'bench', format: 'gpv', url: 'http://127.0.0.1:9/never-read', region: null }],
  pollMs: 15 * 60_000,
  zone: ZONE,
  clock: { now: () => now },
  logger,
  placeService: {
    get: async (id: number) => ({ status: 'on' }) as Awaited<ReturnType<import('../src/places/place-service.js').PlaceService['get']>>,
    eventsBetween: async () => [],
  },
  outbox: new OutboxStore(db.sqlite),
});
service.store.saveFresh('bench', { body: kyivLike, etag: null, lastModified: null, asOf: null }, now);
service.poller.load();
db.sqlite.transaction(() => {
  for (let id = 1; id <= placeCount; id += 1) service.store.setPlaceSchedule(id, { source: 'bench', queue: queues[id % queues.length]! });
})();
const offAlert = (i: number): Alert => ({ kind: 'power_off', at: at(i), previousMs: 3_600_000 });
const onAlert = (i: number): Alert => ({ kind: 'power_on', at: at(i), fromUptime: false, offSince: at(i) - 3 * 3600_000, offMs: 3 * 3600_000 });
measure('ScheduleService.alertPlan, OFF (settings + plan + lookup)', lookups, (i) => service.alertPlan(1 + (i % placeCount), offAlert(i)));
measure('ScheduleService.alertPlan, ON', lookups, (i) => service.alertPlan(1 + (i % placeCount), onAlert(i)));

console.log('\nSchedule posts: one pass over every place (changes: after each update and every 15 min; warnings: every minute):');
// The first pass remembers every place's days (first seen); the next ones find nothing new, the usual case.
const first = performance.now();
await service.checkNotices();
console.log(`${'first pass (every place told its plan quietly)'.padEnd(52)} ${(performance.now() - first).toFixed(0)} ms`);
async function passMs(options: { changes: boolean }): Promise<number> {
  const passes: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await service.checkNotices(options);
    passes.push(performance.now() - started);
  }
  return passes.sort((a, b) => a - b)[2]!;
}
console.log(`${'changes + warnings, nothing new to post'.padEnd(52)} median ${(await passMs({ changes: true })).toFixed(0)} ms (slices of 20 places between event-loop turns)`);
for (const id of [1, 2, 3]) service.store.setWarnMinutes(id, 30);
console.log(`${'warnings only (the minute tick)'.padEnd(52)} median ${(await passMs({ changes: false })).toFixed(0)} ms`);
await db.close();
dir.cleanup();
