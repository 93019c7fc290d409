import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import type { Place } from '../../src/places/place-service.js';
import { OutboxStore } from '../../src/outbox/outbox-store.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';
import { tempDir } from '../support/temp-dir.js';
import type { PlanNoticePayload } from '../../src/outbox/messages.js';
import { parsePayload } from '../../src/outbox/messages.js';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';
import { planNoticeText } from '../../src/schedules/plan-notice-delivery.js';
import { dayUpdates, PlanNotices, warningNotice } from '../../src/schedules/plan-notices.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { utc, ZONE } from './fixture.js';
import { planOf } from './plans.js';

// gpv-small.json, queue GPV1.1 (Kyiv, UTC+2): Wed 14 Jan 2026 planned 07:00–10:00, 15:30–18:00,
// 23:00–02:00; Thu 15 Jan known too.
const NOW = utc(2026, 1, 14, 12); // 14:00 local
const plan = planOf('gpv-small.json', 'GPV1.1', NOW);
const queue = { id: 'GPV1.1', label: 'Черга 1.1' };
const i18n = createI18n();
const uk = { zone: ZONE, t: translatorFor(i18n, 'uk') };
const en = { zone: ZONE, t: translatorFor(i18n, 'en') };
const daysOf = (day: string) => {
  const state = plan.days.find((d) => d.day === day)!;
  return state.status === 'plan' ? state.intervals : [];
};

describe('what a place is told about its plan', () => {
  test('first seen: remembered quietly, or tomorrow posted for a place that asked', () => {
    const quiet = dayUpdates(plan, queue, () => undefined, false, NOW);
    assert.deepEqual(quiet.map((u) => [u.day, u.notice]), [['2026-01-14', null], ['2026-01-15', null]]);
    const asked = dayUpdates(plan, queue, () => undefined, true, NOW);
    assert.deepEqual(asked.map((u) => u.notice?.notice ?? null), [null, 'tomorrow'], "today's plan is never posted as news");
    assert.deepEqual(asked[1]!.notice, { notice: 'tomorrow', queue, day: '2026-01-15', intervals: daysOf('2026-01-15') });
  });

  test('unchanged: nothing; changed: what was added and removed', () => {
    const told = (day: string) => daysOf(day);
    assert.deepEqual(dayUpdates(plan, queue, told, true, NOW), []);
    const before: PlanInterval[] = [{ start: utc(2026, 1, 15, 7), end: utc(2026, 1, 15, 10), kind: 'planned' }];
    const updates = dayUpdates(plan, queue, (day) => (day === '2026-01-15' ? before : daysOf(day)), true, NOW);
    assert.equal(updates.length, 1);
    assert.deepEqual(updates[0]!.notice, { notice: 'changed', queue, day: '2026-01-15', added: daysOf('2026-01-15'), removed: before });
    assert.deepEqual(updates[0]!.intervals, daysOf('2026-01-15'), 'the new version is the one remembered');
  });

  test("today: a change only in what is over is remembered without a post; a change ahead is posted without the past", () => {
    const today = daysOf('2026-01-14');
    const pastOnly = today.filter((i) => i.end > NOW);
    const quiet = dayUpdates(plan, queue, (day) => (day === '2026-01-14' ? pastOnly : daysOf(day)), false, NOW);
    assert.deepEqual(quiet.map((u) => [u.day, u.notice]), [['2026-01-14', null]]);
    // Told: 06:00–10:00 (over by now) and 15:30–17:00; now 07:00–10:00 and 15:30–18:00.
    const told = [
      { start: utc(2026, 1, 14, 4), end: utc(2026, 1, 14, 8), kind: 'planned' as const },
      { start: utc(2026, 1, 14, 13, 30), end: utc(2026, 1, 14, 15), kind: 'planned' as const },
      ...today.slice(2),
    ];
    const posted = dayUpdates(plan, queue, (day) => (day === '2026-01-14' ? told : daysOf(day)), false, NOW);
    assert.equal(posted.length, 1);
    const notice = posted[0]!.notice as Extract<PlanNoticePayload, { notice: 'changed' }>;
    assert.deepEqual(notice.added, [today[1]], 'only the change still ahead');
    assert.deepEqual(notice.removed, [told[1]]);
  });

  test('a plan not known (a stale source) is neither told nor remembered', () => {
    const stale = planOf('gpv-small.json', 'GPV1.1', utc(2026, 1, 17, 12));
    assert.deepEqual(dayUpdates(stale, queue, () => undefined, true, utc(2026, 1, 17, 12)), []);
  });
});

describe('warnings', () => {
  test('due from the lead time before a planned start until it starts, never for a possible one', () => {
    assert.equal(warningNotice(plan, queue, 30, utc(2026, 1, 14, 12, 59)), null);
    const due = warningNotice(plan, queue, 30, utc(2026, 1, 14, 13));
    assert.deepEqual(due, { notice: 'warning', queue, interval: { start: utc(2026, 1, 14, 13, 30), end: utc(2026, 1, 14, 16), kind: 'planned' }, openEnd: false });
    assert.equal(warningNotice(plan, queue, 0, utc(2026, 1, 14, 13)), null, 'off');
    const possibleOnly = planOf('gpv-small.json', 'GPV1.2', NOW);
    assert.equal(warningNotice(possibleOnly, queue, 60, utc(2026, 1, 14, 10, 45)), null, "a possible outage 15 min ahead");
  });
});

describe('the words at the moment of posting', () => {
  const warning: PlanNoticePayload = { notice: 'warning', queue, interval: { start: utc(2026, 1, 14, 16), end: utc(2026, 1, 14, 19), kind: 'planned' }, openEnd: false };
  const changed: PlanNoticePayload = {
    notice: 'changed',
    queue,
    day: '2026-01-15',
    added: [{ start: utc(2026, 1, 15, 16), end: utc(2026, 1, 15, 19), kind: 'planned' }],
    removed: [{ start: utc(2026, 1, 15, 7), end: utc(2026, 1, 15, 10), kind: 'planned' }],
  };

  test('a warning, and nothing once its outage has begun', () => {
    assert.deepEqual(planNoticeText(warning, 'Дім', utc(2026, 1, 14, 15, 30), uk), { text: '⏰ О 18:00 за графіком вимкнуть світло (черга 1.1), до ~21:00\n📍 Дім' });
    assert.deepEqual(planNoticeText(warning, 'Home', utc(2026, 1, 14, 15, 30), en), { text: '⏰ Power is scheduled to go off at 18:00 (queue 1.1), until ~21:00\n📍 Home' });
    assert.ok('stale' in planNoticeText(warning, 'Дім', utc(2026, 1, 14, 16), uk));
  });

  test('"tomorrow" and "today" are the days as they are when it goes out', () => {
    assert.deepEqual(planNoticeText(changed, 'Дім', utc(2026, 1, 14, 20), uk), { text: '📅 Графік на завтра змінився: +18:00–21:00, −09:00–12:00\n📍 Дім · черга 1.1' });
    assert.deepEqual(planNoticeText(changed, 'Home', utc(2026, 1, 14, 22, 30), en), { text: "📅 Today's schedule changed: +18:00–21:00, −09:00–12:00\n📍 Home · queue 1.1" });
    assert.ok('stale' in planNoticeText(changed, 'Дім', utc(2026, 1, 15, 22, 30), uk), 'the day is over');
    const tomorrow: PlanNoticePayload = { notice: 'tomorrow', queue, day: '2026-01-15', intervals: changed.added };
    assert.deepEqual(planNoticeText(tomorrow, 'Дім', utc(2026, 1, 14, 20), uk), { text: '📅 Графік на завтра (черга 1.1): 18:00–21:00\n📍 Дім' });
    assert.ok('stale' in planNoticeText(tomorrow, 'Дім', utc(2026, 1, 14, 22, 30), uk), 'no longer tomorrow');
  });

  test('the payload goes through the outbox as it was; a broken one is refused', () => {
    for (const notice of [warning, changed]) assert.deepEqual(parsePayload('plan_notice', JSON.stringify(notice)), notice);
    assert.throws(() => parsePayload('plan_notice', JSON.stringify({ ...warning, interval: { start: 1 } })), /not a plan_notice payload/);
    assert.throws(() => parsePayload('plan_notice', JSON.stringify({ ...changed, day: 'tomorrow' })), /not a plan_notice payload/);
  });
});


describe('queueing the posts', () => {
  test('a post and the record that it was made commit together: a place that fails leaves no post, the others still get theirs', async () => {
    const dir = tempDir();
    const db = await openTestStore(dir.file('monitor.db'));
    try {
      const insert = (name: string, api_key: string) =>
        insertPlaceRow(db.connection, { name, api_key, timeout_s: 60, language: 'uk', status: 'on', created_at: 0, paused: 0, alerting_failed: 0 });
      const ids = [1, 2, 3].map((n) => insert(`Place ${n}`, `key-${n}`));
      const schedules = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      for (const id of ids) {
        schedules.setPlaceSchedule(id, { source: 'kyiv', queue: 'GPV1.1' });
        schedules.setPostTomorrow(id, true);
      }
      const outbox = new OutboxStore(db.connection);
      const { logger, lines } = capturedLogger();
      let woken = 0;
      const notices = new PlanNotices({
        store: {
          placesOnSchedule: () => schedules.placesOnSchedule(),
          toldPlan: (id, day) => schedules.toldPlan(id, day),
          markWarned: (id, start, now) => schedules.markWarned(id, start, now),
          emergencyTold: (id) => schedules.emergencyTold(id),
          tellEmergency: (id, on, now) => schedules.tellEmergency(id, on, now),
          rememberTold: (id, day, intervals, now) => {
            if (id === ids[1]) throw new Error('the disk says no');
            schedules.rememberTold(id, day, intervals, now);
          },
        },
        plan: () => plan,
        queueInfo: () => queue,
        outbox,
        places: { get: async () => ({ status: 'on' }) as Place },
        wakeOutbox: () => (woken += 1),
        clock: { now: () => NOW },
        logger,
      });
      assert.equal(await notices.check(), 2);
      const rows = outbox.undeliveredAfter(0, 10);
      assert.deepEqual(rows.map((row) => [row.location_id, row.kind]), [[ids[0], 'plan_notice'], [ids[2], 'plan_notice']]);
      assert.equal(schedules.toldPlan(ids[1]!, '2026-01-14'), undefined);
      assert.ok(schedules.toldPlan(ids[2]!, '2026-01-15'));
      assert.equal(woken, 1);
      assert.ok(lines.some((line) => line.level === LEVEL.error && line.placeId === ids[1] && line.err?.message === 'the disk says no'));
      assert.equal(await notices.check(), 0, 'told once');
    } finally {
      await db.close();
      dir.cleanup();
    }
  });
});
