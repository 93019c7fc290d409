/**
 * Diagram render time: timeline → labels → ECharts option → PNG, per diagram, in one process
 * (as a render worker batches them). Run: node --import tsx bench/render.ts [renders]
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { renderWeekDiagram } from '../src/diagram/render-png.js';
import type { PowerInterval } from '../src/diagram/timeline.js';

const TIME_ZONE = 'Europe/Kyiv';
const RENDERS = Number(process.argv[2] ?? 200);
const WARM_UP = 20;

/** A scheduled-outage week: 3–5 outages a day of 20 min to 4 h, one server-down gap. */
function realisticWeek(now: number): PowerInterval[] {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const intervals: PowerInterval[] = [];
  const start = DateTime.fromMillis(now, { zone: TIME_ZONE }).startOf('day').minus({ days: 8 }).toMillis();
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

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

const now = DateTime.fromISO('2025-11-19T15:40', { zone: TIME_ZONE }).toMillis();
const intervals = realisticWeek(now);
const input = { intervals, locationCreatedAt: 0, now, timeZone: TIME_ZONE, locale: 'uk' as const, placeName: 'Дача під Києвом' };

const coldStart = performance.now();
let bytes = renderWeekDiagram(input).length;
const coldMs = performance.now() - coldStart;
for (let i = 0; i < WARM_UP; i++) renderWeekDiagram(input);

const timings: number[] = [];
for (let i = 0; i < RENDERS; i++) {
  const started = performance.now();
  bytes = renderWeekDiagram({ ...input, now: now + i * 60_000 }).length;
  timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);

const outages = intervals.filter((interval) => interval.status === 'off').length;
console.log(`diagram render (${RENDERS} renders after ${WARM_UP} warm-up, ${intervals.length} intervals, ${outages} outages, PNG ${(bytes / 1024).toFixed(0)} KiB)`);
console.log(`  first render (fonts, ECharts warm-up): ${coldMs.toFixed(1)} ms`);
console.log(`  median: ${percentile(timings, 0.5).toFixed(1)} ms`);
console.log(`  p95:    ${percentile(timings, 0.95).toFixed(1)} ms`);
console.log(`  max:    ${(timings[timings.length - 1] ?? Number.NaN).toFixed(1)} ms`);
console.log(`  rss:    ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
