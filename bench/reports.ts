/**
 * Reports, render time (issue 14): the monthly report as the render worker will make it —
 * read intervals (in memory here), summarise the month and the one before, write the caption,
 * draw the month picture to PNG — per report, in this process. For scale, the weekly diagram
 * is timed in the same run (the machine's load moves both alike). CPU time is printed beside
 * wall time, which on a shared machine also counts the time other processes had the CPU.
 *
 * Run: node --import tsx bench/reports.ts [renders=200]
 */
import { performance } from 'node:perf_hooks';
import { renderWeekDiagram } from '../src/diagram/render-png.js';
import type { PowerInterval } from '../src/diagram/timeline.js';
import { renderReport, type ReportRenderRequest, type ReportSource } from '../src/reports/report-render.js';
import { summarizeMonth } from '../src/reports/summary.js';
import { createI18n, translatorFor } from '../src/i18n/translator.js';
import { KYIV, kyiv, sampleMonth } from '../test/reports/sample-month.js';
import { percentile } from './support/seed.js';

const renders = Number(process.argv[2] ?? 200);
if (!Number.isInteger(renders) || renders < 1) {
  console.error(`The number of renders must be a whole number ≥ 1, got "${process.argv[2]}"`);
  process.exit(1);
}
const WARM_UP = 10;

// Three months of 2–4 outages a day, the service down once: October 2025 (31 days, the 25-hour
// 26th) is the month drawn, September the one compared with.
const intervals: PowerInterval[] = sampleMonth('2025-09-01T00:00', '2025-11-19T15:40', [['2025-10-08T13:00', '2025-10-09T02:30']]);
const i18n = createI18n();
const source: ReportSource = {
  place: () => ({ name: 'Дача під Києвом', language: 'uk', createdAt: kyiv('2025-09-01T00:00') }),
  intervals: (_id, from, to) => intervals.filter((entry) => entry.startedAt < to && (entry.endedAt === null || entry.endedAt > from)),
  translator: (locale) => translatorFor(i18n, locale),
};
const october: ReportRenderRequest = { id: 1, placeId: 1, period: { kind: 'month', year: 2025, month: 10 }, now: kyiv('2025-11-01T09:00'), timeZone: KYIV };
const thisMonth: ReportRenderRequest = { id: 2, placeId: 1, period: { kind: 'this-month' }, now: kyiv('2025-11-19T15:40'), timeZone: KYIV };

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

function timeIt(label: string, count: number, run: (index: number) => number): void {
  const coldStart = performance.now();
  let bytes = run(0);
  const coldMs = performance.now() - coldStart;
  for (let i = 0; i < WARM_UP; i++) run(i);
  const timings: number[] = [];
  // CPU time as well: on a shared, busy machine wall time mostly measures the neighbours.
  const cpuTimings: number[] = [];
  for (let i = 0; i < count; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    bytes = run(i);
    timings.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimings.push((used.user + used.system) / 1000);
  }
  timings.sort((a, b) => a - b);
  cpuTimings.sort((a, b) => a - b);
  console.log(`${label} (${count} after ${WARM_UP} warm-up, PNG ${(bytes / 1024).toFixed(0)} KiB)`);
  console.log(`  first:  ${fmt(coldMs)}`);
  console.log(`  median: ${fmt(percentile(timings, 50))}  (CPU ${fmt(percentile(cpuTimings, 50))})`);
  console.log(`  p95:    ${fmt(percentile(timings, 95))}  (CPU ${fmt(percentile(cpuTimings, 95))})`);
  console.log(`  max:    ${fmt(timings[timings.length - 1] ?? Number.NaN)}`);
}

const outages = intervals.filter((entry) => entry.status === 'off').length;
console.log(`${intervals.length} intervals (${outages} outages) over Sep–Nov 2025, Europe/Kyiv`);

timeIt('monthly report, October 2025: 31 rows, read + summarise + caption + PNG', renders, (i) => renderReport({ ...october, id: i }, source).png.length);

const summariseStarted = performance.now();
const summaries = Math.max(renders, 200);
for (let i = 0; i < summaries; i++) summarizeMonth({ intervals, placeCreatedAt: 0, now: october.now, timeZone: KYIV });
console.log(`  of which the month summary alone: ${fmt((performance.now() - summariseStarted) / summaries)} each`);

const quarter = Math.max(1, Math.round(renders / 4));
timeIt('/stats this month on the 19th: 19 rows, today striped after 15:40', quarter, (i) => renderReport({ ...thisMonth, id: i }, source).png.length);
timeIt('for scale: the weekly diagram (7 rows)', quarter, (i) =>
  renderWeekDiagram({ intervals, placeCreatedAt: 0, now: kyiv('2025-11-19T15:40') + i * 60_000, timeZone: KYIV, t: translatorFor(createI18n(), 'uk'), placeName: 'Дача під Києвом' }).length,
);
console.log(`rss: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
