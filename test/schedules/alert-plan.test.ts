import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Alert, AlertPlan } from '../../src/outbox/payload-parts.js';
import { parsePayload } from '../../src/outbox/messages.js';
import { alertPlan } from '../../src/schedules/alert-plan.js';
import { buildQueuePlan } from '../../src/schedules/queue-plan.js';
import { formatAlert, formatDelayed, formatDigest, formatFlapping } from '../../src/alerts/alert-message.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { MIN, utc, ZONE } from './fixture.js';
import { copyOf, planOf, RULES } from './plans.js';

// gpv-small.json, queue GPV1.1 on Wed 14 Jan 2026 (Kyiv, UTC+2): planned 07:00–10:00,
// 15:30–18:00 and 23:00–02:00 (into the 15th); queue GPV1.2 has a possible outage until 14:30.
const NOW = utc(2026, 1, 14, 19);
const i18n = createI18n();
const uk = { placeName: 'Дім', timeZone: ZONE, now: NOW, t: translatorFor(i18n, 'uk') };
const en = { placeName: 'Home', timeZone: ZONE, now: NOW, t: translatorFor(i18n, 'en') };
const queue = { id: 'GPV1.1', label: 'Черга 1.1' };
const plan11 = planOf('gpv-small.json', 'GPV1.1', NOW);
const plan12 = planOf('gpv-small.json', 'GPV1.2', NOW);

const off = (at: number): Alert => ({ kind: 'power_off', at, previousMs: 3 * 60 * MIN });
const on = (offSince: number, at: number): Alert => ({ kind: 'power_on', at, fromUptime: false, offSince, offMs: at - offSince });
/** The lines a post gets below its usual text (the place, the time). */
const planLines = (text: string) => text.split('\n').slice(3);

describe('an OFF alert says whether the outage was in the plan', () => {
  test('inside a planned interval, or up to 15 minutes before it starts: planned, until its end', () => {
    for (const at of [utc(2026, 1, 14, 6), utc(2026, 1, 14, 4, 46)]) {
      const alert = off(at);
      const plan = alertPlan(plan11, queue, alert)!;
      assert.deepEqual(planLines(formatAlert(alert, uk, plan)), ['📅 За графіком, до ~10:00 (черга 1.1)']);
      assert.deepEqual(planLines(formatAlert(alert, en, plan)), ['📅 Scheduled outage, until ~10:00 (queue 1.1)']);
    }
  });

  test('inside a possible interval: possible', () => {
    const alert = off(utc(2026, 1, 14, 11, 30));
    const plan = alertPlan(plan12, { id: 'GPV1.2', label: null }, alert)!;
    assert.deepEqual(planLines(formatAlert(alert, uk, plan)), ['📅 Можливе за графіком, до ~14:30 (черга 1.2)']);
    assert.deepEqual(planLines(formatAlert(alert, en, plan)), ['📅 Possible under the schedule, until ~14:30 (queue 1.2)']);
  });

  test('outside the plan (more than 15 minutes before a planned start): not planned', () => {
    const alert = off(utc(2026, 1, 14, 4, 40));
    const plan = alertPlan(plan11, queue, alert)!;
    assert.deepEqual(planLines(formatAlert(alert, uk, plan)), ['⚠️ Поза графіком (черга 1.1)']);
    assert.deepEqual(planLines(formatAlert(alert, en, plan)), ['⚠️ Not in the schedule (queue 1.1)']);
  });

  test('a plan not known gives no plan at all: a day the copy lacks, a waiting day, a stale or failing source; an emergency day says so instead', () => {
    assert.equal(alertPlan(plan11, queue, off(utc(2026, 1, 16, 10))), null, 'a day the copy does not have');
    const yasnoAt = utc(2026, 1, 29, 8);
    assert.equal(alertPlan(planOf('yasno-small.json', '1.1', yasnoAt), queue, off(utc(2026, 1, 29, 23))), null, 'WaitingForSchedule');
    assert.deepEqual(alertPlan(planOf('yasno-small.json', '3.1', yasnoAt), queue, off(utc(2026, 1, 29, 10))), { queue, emergency: true }, 'EmergencyShutdowns');
    const threeDaysLater = utc(2026, 1, 17, 6);
    const stale = buildQueuePlan(copyOf('gpv-small.json', threeDaysLater), { failures: 0, lastError: null, lastAttemptAt: null }, 'GPV1.1', threeDaysLater, RULES);
    assert.equal(stale.blocked, 'source-stale');
    assert.equal(alertPlan(stale, queue, off(utc(2026, 1, 14, 6))), null, 'the data is too old, even for a day it covers');
    const failing = buildQueuePlan({ ...copyOf('gpv-small.json', NOW), fetchedAt: NOW - 2 * 60 * MIN }, { failures: 8, lastError: 'HTTP 503', lastAttemptAt: NOW }, 'GPV1.1', NOW, RULES);
    assert.equal(failing.blocked, 'fetch-failing');
    assert.equal(alertPlan(failing, queue, off(utc(2026, 1, 14, 6))), null);
    assert.equal(formatAlert(off(utc(2026, 1, 14, 6)), uk), formatAlert(off(utc(2026, 1, 14, 6)), uk, undefined), 'no plan: the post as before');
  });

  test('a short outage (a reboot inside the timeout) is not set against the plan', () => {
    assert.equal(alertPlan(plan11, queue, { kind: 'short_outage', from: utc(2026, 1, 14, 6), to: utc(2026, 1, 14, 6, 2) }), null);
  });
});

describe('an ON alert compares the return with the plan and names the next outage', () => {
  test('later than planned, with the next outage today', () => {
    const alert = on(utc(2026, 1, 14, 5, 5), utc(2026, 1, 14, 8, 25));
    const plan = alertPlan(plan11, queue, alert)!;
    assert.deepEqual(planLines(formatAlert(alert, uk, plan)), ['📅 На 25 хв пізніше графіка (до 10:00)', '⏭ Наступне: 15:30–18:00']);
    assert.deepEqual(planLines(formatAlert(alert, en, plan)), ['📅 25 min later than scheduled (until 10:00)', '⏭ Next: 15:30–18:00']);
  });

  test('earlier than planned', () => {
    const alert = on(utc(2026, 1, 14, 5, 5), utc(2026, 1, 14, 6, 50));
    const plan = alertPlan(plan11, queue, alert)!;
    assert.equal(planLines(formatAlert(alert, uk, plan))[0], '📅 На 1 год 10 хв раніше графіка (до 10:00)');
    assert.equal(planLines(formatAlert(alert, en, plan))[0], '📅 1 h 10 min earlier than scheduled (until 10:00)');
  });

  test('an outage not in the plan: only the next planned one, tomorrow when today has none left', () => {
    const today = on(utc(2026, 1, 14, 9), utc(2026, 1, 14, 10));
    assert.deepEqual(planLines(formatAlert(today, en, alertPlan(plan11, queue, today)!)), ['⏭ Next: 15:30–18:00']);
    const queue21 = planOf('gpv-small.json', 'GPV2.1', NOW);
    assert.deepEqual(planLines(formatAlert(today, uk, alertPlan(queue21, queue, today)!)), ['⏭ Наступне: завтра 04:30–05:30']);
    assert.deepEqual(planLines(formatAlert(today, en, alertPlan(queue21, queue, today)!)), ['⏭ Next: tomorrow 04:30–05:30']);
  });

  test('the plan not known: no line', () => {
    assert.equal(alertPlan(plan11, queue, on(utc(2026, 1, 16, 1), utc(2026, 1, 16, 2))), null);
  });
});

describe('posts of several changes', () => {
  const flapping: Alert[] = [off(utc(2026, 1, 14, 5, 10)), on(utc(2026, 1, 14, 5, 10), utc(2026, 1, 14, 5, 12)), off(utc(2026, 1, 14, 5, 14))];
  const latest = alertPlan(plan11, queue, flapping[2]!)!;

  test('flapping and delayed posts end with the plan of the latest change', () => {
    assert.match(formatFlapping(flapping, uk, latest), /\nЗараз: 🔴 світла немає\n📅 За графіком, до ~10:00 \(черга 1\.1\)$/);
    const later = { ...en, now: utc(2026, 1, 14, 6) };
    assert.match(formatDelayed(flapping, later, latest), /\nNow: 🔴 no power\n📅 Scheduled outage, until ~10:00 \(queue 1\.1\)$/);
    const single = formatDelayed(flapping.slice(2), later, latest);
    assert.match(single, /\n📅 Scheduled outage, until ~10:00 \(queue 1\.1\)\n⏳ /, 'the plan line before the note that it is late');
  });

  test('digests stay one line per place, without plan lines', () => {
    const text = formatDigest([{ placeName: 'Дім', alerts: flapping, delayed: false }], { timeZone: ZONE, now: NOW, t: uk.t, total: 4, off: 1 });
    assert.doesNotMatch(text, /графік/);
  });
});

describe('the plan in the outbox row', () => {
  const alert = off(utc(2026, 1, 14, 6));
  const plan = alertPlan(plan11, queue, alert)!;

  test('goes in and comes back as it was', () => {
    assert.deepEqual(parsePayload('alert', JSON.stringify({ alert, plan })), { alert, plan });
    const back = on(utc(2026, 1, 14, 5, 5), utc(2026, 1, 14, 8, 25));
    const onPlan = alertPlan(plan11, queue, back)!;
    assert.deepEqual(parsePayload('alert', JSON.stringify({ alert: back, plan: onPlan })), { alert: back, plan: onPlan });
  });

  test('a row from before plans is read as it was; a plan this version cannot read costs only the plan line', () => {
    assert.deepEqual(parsePayload('alert', JSON.stringify({ alert })), { alert });
    const broken = { queue, off: { kind: 'planned', interval: { start: 'soon' } } } as unknown as AlertPlan;
    assert.deepEqual(parsePayload('alert', JSON.stringify({ alert, plan: broken })), { alert });
    assert.deepEqual(parsePayload('alert', JSON.stringify({ alert, plan: { queue, tomorrow: true } })), { alert });
  });
});
