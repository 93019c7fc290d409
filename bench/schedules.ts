// Outage schedules: what reading a source costs, and what the plan adds to each alert.
// Files are generated in the shape of the real ones (GPV like outage-data-ua's kyiv.json with its
// weekly preset, ~70 KB; a 24-queue one like dnipro.json; a Yasno reply with 48 groups).
//   npm run bench:schedules [-- --runs 200]
import { parseArgs } from 'node:util';
import { lookupOff, lookupOn, warningDue } from '../src/schedules/lookups.js';
import { parseSchedule } from '../src/schedules/parse-schedule.js';
import { offPlanLine, onPlanLines, renderPlanLine } from '../src/schedules/plan-text.js';
import { buildQueuePlan, freshnessRules, type SourceCopy } from '../src/schedules/queue-plan.js';
import { createI18n, translatorFor } from '../src/telegram/translator.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);
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
