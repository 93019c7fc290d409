import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookupOff, lookupOn, warningDue } from '../../src/schedules/lookups.js';
import { changeMessage, healthLines, offPlanLine, onPlanLines, queueName, renderPlanLine, skippedLine, tomorrowMessage, warningMessage, type PlanLine } from '../../src/schedules/plan-text.js';
import { buildQueuePlan } from '../../src/schedules/queue-plan.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { MIN, utc, ZONE } from './fixture.js';
import { copyOf, planOf, RULES } from './plans.js';

const i18n = createI18n();
const uk = { zone: ZONE, t: translatorFor(i18n, 'uk') };
const en = { zone: ZONE, t: translatorFor(i18n, 'en') };
const NOW = utc(2026, 1, 14, 19);
const plan = planOf('gpv-small.json', 'GPV1.1', NOW);
const queue = { id: 'GPV3.1', label: 'Черга 3.1' };
const render = (line: PlanLine | null, ctx: typeof uk) => (line ? renderPlanLine(line, ctx.t) : null);
const lines = (list: PlanLine[], ctx: typeof uk) => list.map((l) => renderPlanLine(l, ctx.t));

describe('alert lines in both languages', () => {
  test('OFF: planned until ~X, possible, not planned, unknown (no line)', () => {
    const planned = lookupOff(plan, utc(2026, 1, 14, 6));
    assert.equal(render(offPlanLine(planned, queue, uk), uk), '📅 За графіком, до ~10:00 (черга 3.1)');
    assert.equal(render(offPlanLine(planned, queue, en), en), '📅 Scheduled outage, until ~10:00 (queue 3.1)');
    const possible = lookupOff(planOf('gpv-small.json', 'GPV1.2', NOW), utc(2026, 1, 14, 11, 30));
    assert.equal(render(offPlanLine(possible, queue, uk), uk), '📅 Можливе за графіком, до ~14:30 (черга 3.1)');
    const unplanned = lookupOff(plan, utc(2026, 1, 14, 10));
    assert.equal(render(offPlanLine(unplanned, queue, uk), uk), '⚠️ Поза графіком (черга 3.1)');
    assert.equal(render(offPlanLine(unplanned, queue, en), en), '⚠️ Not in the schedule (queue 3.1)');
    assert.equal(offPlanLine(lookupOff(plan, utc(2026, 1, 16, 10)), queue, uk), null);
  });

  test('OFF to the end of the known days: no claimed end; midnight ends read 24:00', () => {
    const spring = planOf('gpv-dst-spring.json', 'GPV2.1', utc(2026, 3, 29, 9));
    assert.equal(render(offPlanLine(lookupOff(spring, utc(2026, 3, 29, 10)), queue, uk), uk), '📅 За графіком (черга 3.1)');
    const lateNight = planOf('gpv-small.json', 'GPV1.2', NOW);
    assert.equal(render(offPlanLine(lookupOff(lateNight, utc(2026, 1, 14, 22, 10)), queue, en), en), '📅 Scheduled outage, until ~01:00 (queue 3.1)');
  });

  test('ON: later, earlier, on time, and the next outage', () => {
    const later = lookupOn(plan, utc(2026, 1, 14, 5, 5), utc(2026, 1, 14, 8, 25));
    assert.deepEqual(lines(onPlanLines(later, uk), uk), ['📅 На 25 хв пізніше графіка (до 10:00)', '⏭ Наступне: 15:30–18:00']);
    assert.deepEqual(lines(onPlanLines(later, en), en), ['📅 25 min later than scheduled (until 10:00)', '⏭ Next: 15:30–18:00']);
    const earlier = lookupOn(plan, utc(2026, 1, 14, 5, 5), utc(2026, 1, 14, 6, 50));
    assert.deepEqual(lines(onPlanLines(earlier, uk), uk)[0], '📅 На 1 год 10 хв раніше графіка (до 10:00)');
    const onTime = lookupOn(plan, utc(2026, 1, 14, 5, 5), utc(2026, 1, 14, 8, 2));
    assert.deepEqual(lines(onPlanLines(onTime, en), en)[0], '📅 On time, as scheduled (until 10:00)');
    const night = lookupOn(plan, utc(2026, 1, 14, 13, 35), utc(2026, 1, 14, 16, 5));
    assert.deepEqual(lines(onPlanLines(night, uk), uk), ['📅 Вчасно, як за графіком (до 18:00)', '⏭ Наступне: 23:00–02:00']);
  });

  test('ON: next tomorrow, none today, none through tomorrow; nothing when unknown', () => {
    const queue21 = planOf('gpv-small.json', 'GPV2.1', NOW);
    assert.deepEqual(lines(onPlanLines(lookupOn(queue21, utc(2026, 1, 14, 9), utc(2026, 1, 14, 10)), uk), uk), ['⏭ Наступне: завтра 04:30–05:30']);
    assert.deepEqual(lines(onPlanLines(lookupOn(queue21, utc(2026, 1, 14, 9), utc(2026, 1, 14, 10)), en), en), ['⏭ Next: tomorrow 04:30–05:30']);
    const last = lookupOn(plan, utc(2026, 1, 15, 10), utc(2026, 1, 15, 11, 30));
    assert.deepEqual(lines(onPlanLines(last, uk), uk), ['📅 На 30 хв пізніше графіка (до 13:00)', '⏭ Сьогодні за графіком більше не вимикатимуть']);
    assert.deepEqual(lines(onPlanLines(last, en), en)[1], '⏭ No more scheduled outages today');
    assert.deepEqual(onPlanLines(lookupOn(plan, utc(2026, 1, 16, 1), utc(2026, 1, 16, 2)), uk), []);
  });
});

describe('posts of their own', () => {
  test('a warning before a planned outage', () => {
    const due = warningDue(plan, utc(2026, 1, 14, 4, 30), 30 * MIN)!;
    assert.equal(render(warningMessage(due, 'Дім', queue, uk), uk), '⏰ О 07:00 за графіком вимкнуть світло (черга 3.1), до ~10:00\n📍 Дім');
    assert.equal(render(warningMessage(due, '<Home>', queue, en), en), '⏰ Power is scheduled to go off at 07:00 (queue 3.1), until ~10:00\n📍 &lt;Home&gt;');
  });

  test('a changed plan: added then removed, possible ones marked', () => {
    const h = (hour: number) => utc(2026, 1, 15, hour - 2);
    const diff = { added: [{ start: h(18), end: h(21), kind: 'planned' as const }, { start: h(22), end: h(23), kind: 'possible' as const }], removed: [{ start: h(9), end: h(12), kind: 'planned' as const }] };
    assert.equal(render(changeMessage('tomorrow', diff, 'Дім', queue, uk), uk), '📅 Графік на завтра змінився: +18:00–21:00, +22:00–23:00 (можливе), −09:00–12:00\n📍 Дім · черга 3.1');
    assert.equal(render(changeMessage('today', diff, 'Home', queue, en), en), "📅 Today's schedule changed: +18:00–21:00, +22:00–23:00 (possible), −09:00–12:00\n📍 Home · queue 3.1");
  });

  test("tomorrow's plan when it appears, with or without outages", () => {
    const tomorrow = planOf('gpv-small.json', 'GPV1.2', NOW).days[1]!;
    assert.equal(tomorrow.status, 'plan');
    const intervals = tomorrow.status === 'plan' ? tomorrow.intervals : [];
    assert.equal(render(tomorrowMessage(intervals, 'Дім', queue, uk), uk), '📅 Графік на завтра (черга 3.1): 00:00–01:00\n📍 Дім');
    assert.equal(render(tomorrowMessage([], 'Home', queue, en), en), '📅 No scheduled outages tomorrow (queue 3.1)\n📍 Home');
  });

  test('a planned outage that did not happen, for the history', () => {
    assert.equal(render(skippedLine({ start: utc(2026, 1, 14, 5), end: utc(2026, 1, 14, 8) }, ZONE), uk), '📅 07:00–10:00 за графіком, але світло було');
  });

  test('queue names: the usual ones translated, others as the source names them (escaped)', () => {
    assert.equal(queueName({ id: '3.1', label: null }, en.t), 'queue 3.1');
    assert.equal(queueName({ id: 'GPV1001.1', label: 'ЦЕК 1.1' }, uk.t), 'ЦЕК 1.1');
    assert.equal(queueName({ id: 'A<1>', label: null }, uk.t), 'A&lt;1&gt;');
  });
});

describe('the admin card', () => {
  test('a usable plan shows its age', () => {
    assert.deepEqual(lines(healthLines(plan, 'kyiv', queue, NOW, uk), uk), ['📅 Графік: kyiv, черга 3.1 · оновлено 55 хв тому']);
  });

  test('an unusable one says why, with the data age and the last error', () => {
    const copy = { ...copyOf('gpv-small.json', NOW), fetchedAt: NOW - 2 * 3600_000 };
    const failing = buildQueuePlan(copy, { failures: 8, lastError: 'HTTP 503 Service Unavailable', lastAttemptAt: NOW }, 'GPV1.1', NOW, RULES);
    assert.deepEqual(lines(healthLines(failing, 'kyiv', queue, NOW, en), en), [
      '📅 Schedule: kyiv, queue 3.1 — not shown in posts: the source is not answering',
      'The data was updated 55 min ago.',
      'Failed attempts in a row: 8; last error: HTTP 503 Service Unavailable',
    ]);
    const waiting = planOf('yasno-small.json', '1.1', utc(2026, 1, 30, 8));
    assert.equal(lines(healthLines(waiting, 'yasno-kyiv', { id: '1.1', label: null }, utc(2026, 1, 30, 8), uk), uk)[0], '📅 Графік: yasno-kyiv, черга 1.1 — у дописах не показую: постачальник ще не оприлюднив графік');
    const missing = planOf('gpv-small.json', 'GPV9.9', NOW);
    assert.equal(lines(healthLines(missing, 'kyiv', { id: 'GPV9.9', label: null }, NOW, uk), uk)[0], '📅 Графік: kyiv, черга 9.9 — у дописах не показую: у джерелі немає черги «9.9»');
  });
});
