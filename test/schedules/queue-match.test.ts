import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGpv } from '../../src/schedules/gpv-format.js';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';
import { matchDays, queueHint } from '../../src/schedules/queue-insights.js';
import { betterQueue, matchQueues, type MatchDay, type PowerStretch } from '../../src/schedules/queue-match.js';
import { parseYasno } from '../../src/schedules/yasno-format.js';
import { QUEUES, seeded, syntheticDays, syntheticRecord } from '../support/queue-records.js';
import { gpvBody, type GpvValue } from './gpv-body.js';
import { ZONE } from './fixture.js';

const MIN = 60_000;

/** Hours (1-based GPV keys) off, as a GPV day row. */
const off = (...hours: number[]): Partial<Record<number, GpvValue>> => Object.fromEntries(hours.map((h) => [h, 'no']));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Three days of four queues in the GPV layout, shaped like the real Kyiv file (blocks, a shared day). */
const body = gpvBody({
  update: '08.01.2026 20:00',
  days: {
    '2026-01-05': { 'GPV1.1': off(...range(8, 12), ...range(17, 22)), 'GPV1.2': off(...range(6, 8), ...range(17, 22)), 'GPV3.1': off(...range(1, 5), ...range(10, 15)), 'GPV3.2': off(...range(1, 4), ...range(10, 15)) },
    '2026-01-06': { 'GPV1.1': off(...range(3, 9)), 'GPV1.2': off(...range(3, 9)), 'GPV3.1': off(...range(7, 12), ...range(17, 19)), 'GPV3.2': off(...range(7, 12), ...range(17, 20)) },
    '2026-01-07': { 'GPV1.1': off(...range(13, 17)), 'GPV1.2': off(...range(11, 15)), 'GPV3.1': off(...range(4, 8), ...range(20, 23)), 'GPV3.2': off(...range(1, 3), ...range(14, 18)) },
  },
});
const snapshot = parseGpv(body, ZONE);
const rows = Object.entries(snapshot.days).flatMap(([queue, days]) =>
  days.flatMap((d) => (d.status === 'plan' ? [{ queue, day: d.day, status: 'plan' as const, intervals: d.intervals }] : [])),
);
const days = matchDays(rows, ZONE);
const END = days[days.length - 1]!.end;

/** The record of a place that lived through `queue`'s plan, each edge moved by `jitter(i)` minutes. */
function lived(queue: string, jitter: (i: number) => number, from: MatchDay[] = days): PowerStretch[] {
  const offs = from.flatMap((d) => d.queues[queue] ?? []).map((i, n) => ({ start: i.start + jitter(2 * n) * MIN, end: i.end + jitter(2 * n + 1) * MIN }));
  const power: PowerStretch[] = [];
  let at = from[0]!.start;
  for (const o of offs.sort((a, b) => a.start - b.start)) {
    if (o.start > at) power.push({ status: 'on', start: at, end: o.start });
    power.push({ status: 'off', start: Math.max(at, o.start), end: o.end });
    at = o.end;
  }
  power.push({ status: 'on', start: at, end: from[from.length - 1]!.end });
  return power;
}

const wobble = (i: number) => [12, -9, 15, -14, 3, 7, -15, 11, -6, 14][i % 10]!;

describe('which queue am I: the matcher', () => {
  test('a record lived on 3.1 with ±15 min drift names 3.1, with its evidence', () => {
    const verdict = matchQueues(days, lived('GPV3.1', wobble), END);
    assert.equal(verdict.kind, 'match');
    assert.ok(verdict.kind === 'match');
    assert.equal(verdict.best.queue, 'GPV3.1');
    assert.deepEqual([verdict.best.matched, verdict.best.outages, verdict.best.days], [6, 6, 3]);
    assert.ok(verdict.best.score > 0.95, `score ${verdict.best.score}`);
  });

  test('every queue of the fixture is found from its own record', () => {
    for (const queue of ['GPV1.1', 'GPV1.2', 'GPV3.1', 'GPV3.2']) {
      const verdict = matchQueues(days, lived(queue, wobble), END);
      assert.ok(verdict.kind === 'match' && verdict.best.queue === queue, `${queue}: ${verdict.kind}`);
    }
  });

  test('fewer than 3 days with outages: too early, nothing is said', () => {
    const twoDays = days.slice(0, 2);
    const verdict = matchQueues(twoDays, lived('GPV3.1', wobble, twoDays), twoDays[1]!.end);
    assert.equal(verdict.kind, 'too-early');
  });

  test('days not over yet and days with no plan are not compared', () => {
    const verdict = matchQueues(days, lived('GPV3.1', wobble), days[2]!.start + 6 * 3_600_000);
    assert.equal(verdict.kind, 'too-early', 'the third day is not over');
    const missing = matchDays(rows.filter((r) => r.day !== '2026-01-06'), ZONE);
    assert.deepEqual(missing.map((d) => d.day), ['2026-01-05', '2026-01-07']);
  });

  test('a day under emergency cuts is skipped, never read as "no outages"', () => {
    const withEmergency = [...rows, { queue: 'GPV9.9', day: '2026-01-06', status: 'emergency' as const, intervals: [] }];
    assert.deepEqual(matchDays(withEmergency, ZONE).map((d) => d.day), ['2026-01-05', '2026-01-07']);
  });

  test('queues with the same plan on every day cannot be told apart: not sure', () => {
    const twins = days.map((d) => ({ ...d, queues: { ...d.queues, 'GPV9.9': d.queues['GPV3.1']! } }));
    const verdict = matchQueues(twins, lived('GPV3.1', wobble, twins), END);
    assert.equal(verdict.kind, 'not-sure');
  });

  test('outages at other hours than any queue: no queue fits', () => {
    const power: PowerStretch[] = [];
    for (const d of days) {
      // 23:00–24:00, an hour no queue plans on any of the days.
      power.push({ status: 'on', start: d.start, end: d.start + 23 * 3_600_000 });
      power.push({ status: 'off', start: d.start + 23 * 3_600_000, end: d.end });
    }
    const verdict = matchQueues(days, power, END);
    assert.equal(verdict.kind, 'none-fits', JSON.stringify(verdict.ranking.slice(0, 2)));
    assert.deepEqual(queueHint(verdict, null)?.hint, 'none');
  });

  test('a place that follows 1.1 but lives 3.1 is told of the better queue once the record disagrees', () => {
    const verdict = matchQueues(days, lived('GPV3.1', wobble), END);
    const better = betterQueue(verdict, 'GPV1.1');
    assert.equal(better?.better.queue, 'GPV3.1');
    assert.ok(better!.current.matched < better!.better.matched);
    assert.equal(betterQueue(verdict, 'GPV3.1'), null, 'the right queue is left alone');
    const hint = queueHint(verdict, 'GPV1.1');
    assert.equal(hint?.hint, 'better');
    assert.equal(hint?.current, 'GPV1.1');
  });

  test('unwatched time is not held against a queue', () => {
    const power = lived('GPV3.1', wobble).map((p) => (p.status === 'on' && p.start >= days[1]!.start && p.start < days[1]!.end ? { ...p, status: 'unknown' as const } : p));
    const verdict = matchQueues(days, power, END);
    assert.ok(verdict.kind === 'match' && verdict.best.queue === 'GPV3.1');
  });

  test('Yasno days read the same way (own fixture in the Yasno layout)', () => {
    const yasno = parseYasno(
      JSON.stringify({
        '1.1': { today: { date: '2026-01-29T00:00:00+02:00', status: 'ScheduleApplies', slots: [{ start: 0, end: 240, type: 'Definite' }] } },
        '2.1': { today: { date: '2026-01-29T00:00:00+02:00', status: 'EmergencyShutdowns', slots: [] } },
      }),
      ZONE,
    );
    type Row = { queue: string; day: string; status: 'plan' | 'emergency'; intervals: PlanInterval[] };
    const yasnoRows = Object.entries(yasno.days).flatMap(([queue, list]) =>
      list.flatMap((d): Row[] => (d.status === 'plan' ? [{ queue, day: d.day, status: 'plan', intervals: d.intervals }] : d.status === 'emergency' ? [{ queue, day: d.day, status: 'emergency', intervals: [] }] : [])),
    );
    assert.deepEqual(matchDays(yasnoRows, ZONE), [], 'an emergency day in the region is not compared');
  });
});

describe('which queue am I: seeded synthetic records (the bench prints the rate: npm run bench:queue-match)', () => {
  const cases = [
    { name: '±15 min jitter', noise: { jitterMs: 15 * MIN, missing: 0, extra: 0 } },
    { name: '±15 min, 10% missing and 10% extra', noise: { jitterMs: 15 * MIN, missing: 0.1, extra: 0.1 } },
  ];
  for (const { name, noise } of cases) {
    test(`${name}: 200 seeded trials of 3 days, never a confident wrong answer`, () => {
      const rand = seeded(2026);
      let right = 0;
      for (let trial = 0; trial < 200; trial += 1) {
        const synthetic = syntheticDays(rand, '2026-01-05', 3);
        const truth = QUEUES[Math.floor(rand() * QUEUES.length)]!;
        const verdict = matchQueues(synthetic, syntheticRecord(synthetic, truth, noise, rand), synthetic[2]!.end);
        if (verdict.kind === 'match') {
          assert.equal(verdict.best.queue, truth, `trial ${trial}: named ${verdict.best.queue}, lived ${truth}`);
          right += 1;
        }
      }
      // Deterministic for this seed; the bench gives the rate over thousands of trials.
      assert.ok(right >= 185, `right in ${right} of 200`);
    });
  }
});
