import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../../src/db/connection.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import type { Place } from '../../src/places/place-service.js';
import type { PowerEventRow } from '../../src/history/power-event-store.js';
import { parsePayload, type PlanNoticePayload, type QueueHintNotice } from '../../src/outbox/messages.js';
import { OutboxStore } from '../../src/outbox/outbox-store.js';
import { alertPlan, alertPlanLines } from '../../src/schedules/alert-plan.js';
import { parseGpv } from '../../src/schedules/gpv-format.js';
import { planNoticeText } from '../../src/schedules/plan-notice-delivery.js';
import { PlanNotices } from '../../src/schedules/plan-notices.js';
import { QueueInsights } from '../../src/schedules/queue-insights.js';
import { queueHintKeyboard, queueHintText, QUEUE_HINT_DATA } from '../../src/schedules/queue-hint-text.js';
import { buildQueuePlan, type QueuePlan } from '../../src/schedules/queue-plan.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import { parseYasno } from '../../src/schedules/yasno-format.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { capturedLogger } from '../support/captured-logger.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody, type GpvValue } from './gpv-body.js';
import { utc, ZONE } from './fixture.js';
import { HEALTHY, RULES } from './plans.js';

const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');
const MIN = 60_000;
const off = (from: number, to: number): Partial<Record<number, GpvValue>> => Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [from + i, 'no']));
const both = (a: Partial<Record<number, GpvValue>>, b: Partial<Record<number, GpvValue>>) => ({ ...a, ...b });

// Three days of three queues (own fixture in the GPV layout); the place lives on 3.1.
const days = {
  '2026-01-05': { 'GPV1.1': both(off(8, 12), off(17, 22)), 'GPV2.1': off(13, 18), 'GPV3.1': both(off(1, 5), off(10, 15)) },
  '2026-01-06': { 'GPV1.1': off(3, 9), 'GPV2.1': off(14, 20), 'GPV3.1': both(off(7, 12), off(17, 19)) },
  '2026-01-07': { 'GPV1.1': off(13, 17), 'GPV2.1': off(1, 6), 'GPV3.1': both(off(4, 8), off(20, 23)) },
};
const snapshot = parseGpv(gpvBody({ update: '07.01.2026 20:00', days }), ZONE);
/** 10:00 local on the 8th: the three days are over. */
const NOW = utc(2026, 1, 8, 8);

/** What the place lived: 3.1's plan, each edge a few minutes off. */
function record(): PowerEventRow[] {
  const drift = [7, -12, 14, -5, 9, -15, 3, 11, -8, 13, -3, 6];
  const offs = snapshot.days['GPV3.1']!.flatMap((d) => (d.status === 'plan' ? d.intervals : []));
  const rows: PowerEventRow[] = [];
  let at = utc(2026, 1, 4, 20);
  offs.forEach((o, n) => {
    const start = o.start + drift[(2 * n) % 12]! * MIN;
    const end = o.end + drift[(2 * n + 1) % 12]! * MIN;
    rows.push({ status: 'on', started_at: at, ended_at: start, start_edge: 'heartbeat' });
    rows.push({ status: 'off', started_at: start, ended_at: end, start_edge: 'heartbeat_gap' });
    at = end;
  });
  rows.push({ status: 'on', started_at: at, ended_at: null, start_edge: 'heartbeat' });
  return rows;
}

async function withDb(run: (file: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await run(dir.file('monitor.db'));
  } finally {
    dir.cleanup();
  }
}

function insights(store: ScheduleStore, outbox: OutboxStore, name = 'Дім') {
  const events = record();
  return new QueueInsights({
    store,
    outbox,
    places: {
      get: async (id: number) => ({ id, name }) as Place,
      eventsBetween: async (_id: number, from: number, to: number) => events.filter((e) => e.started_at < to && (e.ended_at ?? NOW) > from),
    },
    wakeOutbox: () => {},
    zone: ZONE,
    clock: { now: () => NOW },
    logger: capturedLogger().logger,
  });
}

/** A place as the admin adds it: watched, on, alerts in Ukrainian. */
function addPlace(db: Store, name: string, apiKey: string): number {
  return insertPlaceRow(db.connection, { name, api_key: apiKey, timeout_s: 60, language: 'uk', status: 'on', created_at: 0, paused: 0, alerting_failed: 0 });
}

function hints(db: Store): QueueHintNotice[] {
  const rows = prepareQuery(db.connection, queryBuilder.selectFrom('outbox').select('payload').where('kind', '=', 'admin_notice').orderBy('id')).all();
  return rows.map((r) => parsePayload('admin_notice', r.payload) as QueueHintNotice);
}

describe('queue hints from the record', () => {
  test('a place in a region without a queue gets one suggestion, with its evidence and a button, across restarts', async () => {
    await withDb(async (file) => {
      let db = await openTestStore(file);
      const placeId = addPlace(db, 'Дім', 'k1');
      let store = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      assert.equal(store.setPlaceRegion(placeId, 'kyiv'), true);
      assert.deepEqual({ ...store.placeSchedule(placeId), warnMinutes: 0 }, { placeId: placeId, source: null, queue: null, region: 'kyiv', warnMinutes: 0, postTomorrow: false });
      store.recordDays('kyiv', snapshot.days, NOW - 3 * 86_400_000);
      assert.equal(await insights(store, new OutboxStore(db.connection)).check(), 1);
      assert.equal(await insights(store, new OutboxStore(db.connection)).check(), 0, 'said once');
      db.close();

      db = await openTestStore(file);
      store = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      assert.equal(await insights(store, new OutboxStore(db.connection)).check(), 0, 'not again after a restart');
      const [hint] = hints(db);
      assert.deepEqual({ ...hint, placeId: 0 }, { notice: 'queue_hint', hint: 'suggest', placeId: 0, placeName: 'Дім', source: 'kyiv', queue: 'GPV3.1', current: null, matched: 6, outages: 6, days: 3 });
      assert.equal(queueHintText(hint!, uk), '🔎 <b>Дім</b> (kyiv): схоже, ваша черга — 3.1: збіг 6 з 6 відключень за 3 дні. Підписатися на неї?');
      assert.equal(queueHintText(hint!, en), '🔎 <b>Дім</b> (kyiv): your queue looks like 3.1: 6 of 6 outages matched over 3 days. Follow it?');
      const button = queueHintKeyboard(hint!, uk)!.inline_keyboard[0]![0]! as { text: string; callback_data: string };
      assert.equal(button.text, 'Підписатися на чергу 3.1');
      assert.deepEqual(QUEUE_HINT_DATA.exec(button.callback_data)?.slice(1), [String(placeId), 'kyiv', 'GPV3.1']);
      db.close();
    });
  });

  test('a place on the wrong queue hears once of the queue its record fits; the right queue hears nothing', async () => {
    await withDb(async (file) => {
      const db = await openTestStore(file);
      const wrong = addPlace(db, 'Дача', 'k1');
      const right = addPlace(db, 'Дім', 'k2');
      const store = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      store.setPlaceSchedule(wrong, { source: 'kyiv', queue: 'GPV1.1' });
      store.setPlaceSchedule(right, { source: 'kyiv', queue: 'GPV3.1' });
      store.recordDays('kyiv', snapshot.days, NOW - 3 * 86_400_000);
      const outbox = new OutboxStore(db.connection);
      assert.equal(await insights(store, outbox, 'Дача').check(), 1);
      assert.equal(await insights(store, outbox, 'Дача').check(), 0);
      const [hint] = hints(db);
      assert.equal(hint!.placeId, wrong);
      assert.equal(hint!.hint, 'better');
      assert.match(queueHintText(hint!, uk), /не збігаються з чергою 1\.1 \(лише \d з 6\), а з чергою 3\.1 — 6 з 6 за 3 дні\. Можливо, черги переформували\. Перейти на 3\.1\?$/);
      assert.match(queueHintText(hint!, en), /do not match queue 1\.1 \(only \d of 6\), but queue 3\.1 matches 6 of 6 over 3 days/);
      db.close();
    });
  });

  test('published days are kept per source after the copy drops them, and pruned with the bookkeeping', async () => {
    await withDb(async (file) => {
      const db = await openTestStore(file);
      const store = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      store.recordDays('kyiv', snapshot.days, 1000);
      assert.equal(store.publishedDays('kyiv', '2026-01-05', '2026-01-07').length, 9);
      assert.equal(store.publishedDays('kyiv', '2026-01-06', '2026-01-06').length, 3);
      assert.equal(store.publishedDays('odesa', '2026-01-05', '2026-01-07').length, 0);
      store.pruneBefore(2000);
      assert.equal(store.publishedDays('kyiv', '2026-01-05', '2026-01-07').length, 0);
      db.close();
    });
  });
});

// ── Emergency cuts said plainly ──────────────────────────────────────────────────────────────

const TODAY = '2026-01-29';
const EMERGENCY_NOW = utc(2026, 1, 29, 10);
const queue = { id: '3.1', label: null };

function yasnoPlan(status: 'EmergencyShutdowns' | 'ScheduleApplies' | 'WaitingForSchedule'): QueuePlan {
  const slots = status === 'ScheduleApplies' ? [{ start: 600, end: 840, type: 'Definite' }] : [];
  const body = JSON.stringify({ '3.1': { today: { date: `${TODAY}T00:00:00+02:00`, status, slots }, updatedOn: '2026-01-29T08:00:00+00:00' } });
  return buildQueuePlan({ snapshot: parseYasno(body, ZONE), fetchedAt: EMERGENCY_NOW - 5 * MIN, changedAt: EMERGENCY_NOW - 5 * MIN }, HEALTHY, '3.1', EMERGENCY_NOW, RULES);
}

function planNotices(store: ScheduleStore, outbox: OutboxStore, plan: () => QueuePlan) {
  return new PlanNotices({
    store,
    plan,
    queueInfo: () => queue,
    outbox,
    places: { get: async (id: number) => ({ id, status: 'on' }) as Place },
    wakeOutbox: () => {},
    clock: { now: () => EMERGENCY_NOW },
    logger: capturedLogger().logger,
  });
}

function emergencyPosts(db: Store, placeId: number): boolean[] {
  const rows = prepareQuery(db.connection, queryBuilder.selectFrom('outbox').select('payload').where('kind', '=', 'plan_notice').where('location_id', '=', placeId).orderBy('id')).all();
  return rows.map((r) => parsePayload('plan_notice', r.payload)).flatMap((p) => (p.notice === 'emergency' ? [p.on] : []));
}

describe('emergency cuts said plainly', () => {
  test('said once when they begin and once when the schedule is back, across restarts; nothing while the day waits', async () => {
    await withDb(async (file) => {
      let status: 'EmergencyShutdowns' | 'ScheduleApplies' | 'WaitingForSchedule' = 'EmergencyShutdowns';
      let db = await openTestStore(file);
      const warned = addPlace(db, 'Дім', 'k1');
      const quiet = addPlace(db, 'Дача', 'k2');
      let store = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      for (const id of [warned, quiet]) store.setPlaceSchedule(id, { source: 'yasno-kyiv', queue: '3.1' });
      store.setWarnMinutes(warned, 30);
      await planNotices(store, new OutboxStore(db.connection), () => yasnoPlan(status)).check();
      await planNotices(store, new OutboxStore(db.connection), () => yasnoPlan(status)).check();
      assert.deepEqual(emergencyPosts(db, warned), [true]);
      assert.deepEqual(emergencyPosts(db, quiet), [], 'a place with warnings off gets no post');
      assert.equal(store.emergencyTold(quiet), true, 'but its state is kept, so nothing old comes up later');
      db.close();

      db = await openTestStore(file);
      store = new ScheduleStore(db.connection, new PlaceStore(db.connection));
      await planNotices(store, new OutboxStore(db.connection), () => yasnoPlan(status)).check();
      assert.deepEqual(emergencyPosts(db, warned), [true], 'not again after a restart');
      status = 'WaitingForSchedule';
      await planNotices(store, new OutboxStore(db.connection), () => yasnoPlan(status)).check();
      assert.deepEqual(emergencyPosts(db, warned), [true], 'a waiting day is not "the schedule is back"');
      status = 'ScheduleApplies';
      await planNotices(store, new OutboxStore(db.connection), () => yasnoPlan(status)).check();
      await planNotices(store, new OutboxStore(db.connection), () => yasnoPlan(status)).check();
      assert.deepEqual(emergencyPosts(db, warned), [true, false]);
      db.close();
    });
  });

  test('the posts and the alert line in both languages', () => {
    const on: PlanNoticePayload = { notice: 'emergency', queue, on: true };
    const back: PlanNoticePayload = { notice: 'emergency', queue, on: false };
    const ctx = (t: typeof uk) => ({ zone: ZONE, t });
    assert.deepEqual(planNoticeText(on, 'Дім', EMERGENCY_NOW, ctx(uk)), { text: '⚠️ Екстрені відключення в регіоні: графік зараз не діє (Дім, черга 3.1)' });
    assert.deepEqual(planNoticeText(back, 'Дім', EMERGENCY_NOW, ctx(uk)), { text: '✅ Екстрені відключення скасовано: знову діє графік (Дім, черга 3.1)' });
    assert.deepEqual(planNoticeText(on, 'Home', EMERGENCY_NOW, ctx(en)), { text: '⚠️ Emergency outages in the region: the schedule does not apply now (Home, queue 3.1)' });
    assert.deepEqual(planNoticeText(back, 'Home', EMERGENCY_NOW, ctx(en)), { text: '✅ Emergency outages are over: the schedule applies again (Home, queue 3.1)' });
    assert.deepEqual(parsePayload('plan_notice', JSON.stringify(on)), on);

    const alert = { kind: 'power_off' as const, at: EMERGENCY_NOW, previousMs: null };
    const plan = alertPlan(yasnoPlan('EmergencyShutdowns'), queue, alert);
    assert.deepEqual(plan, { queue, emergency: true });
    assert.deepEqual(alertPlanLines(plan!, ctx(uk)), ['⚠️ Екстрені відключення: графік зараз не діє']);
    assert.deepEqual(alertPlanLines(plan!, ctx(en)), ['⚠️ Emergency outages: the schedule does not apply now']);
    assert.deepEqual(parsePayload('alert', JSON.stringify({ alert, plan })).plan, plan, 'the line survives the outbox');
    assert.equal(alertPlan(yasnoPlan('WaitingForSchedule'), queue, alert), null, 'a waiting day still gives no line');
  });
});

describe('a queue hint queued by an earlier version', () => {
  test('reads its place id from the old `locationId` field', () => {
    const stored = JSON.stringify({ notice: 'queue_hint', hint: 'none', locationId: 7, placeName: 'Дім', source: 'kyiv', queue: null, current: null, matched: 0, outages: 4, days: 3 });
    const hint = parsePayload('admin_notice', stored) as QueueHintNotice;
    assert.equal(hint.placeId, 7);
    assert.equal('locationId' in hint, false);
  });
});
