import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { countRows, insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import type { Alert } from '../../src/outbox/payload-parts.js';
import { readAlert, SnoozeStore } from '../../src/people/snooze-store.js';
import { SNOOZE_HOURS, SNOOZE_SUMMARY_MAX_LINES, snoozeUntil, summarizeSnooze } from '../../src/people/snooze-summary.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');
/** 20 November 2026 in Kyiv (UTC+2). */
const kyiv = (hour: number, minute: number) => Date.UTC(2026, 10, 20, hour - 2, minute);
const context = (t = uk) => ({ placeName: 'Дача', timeZone: 'Europe/Kyiv', now: kyiv(18, 0), t });

const off = (at: number, previousMs: number | null = 5 * HOUR): Alert => ({ kind: 'power_off', at, previousMs });
const on = (at: number, offSince: number): Alert => ({ kind: 'power_on', at, fromUptime: false, offSince, offMs: at - offSince });

describe('the snooze summary', () => {
  test('nothing happened: no post at all', () => {
    assert.equal(summarizeSnooze([], context()), null);
  });

  test('an outage and its return read as one line, and the state at the end', () => {
    const summary = summarizeSnooze([off(kyiv(14, 2)), on(kyiv(16, 40), kyiv(14, 2))], context());
    assert.deepEqual(summary, {
      text: '🔕 <b>Поки адміністратор притримував сповіщення</b>: 🔴 14:02–🟢 16:40, не було 2 год 38 хв\n📍 Дача\nЗараз: 🟢 світло є з 16:40',
      state: { status: 'on', since: kyiv(16, 40) },
    });
    assert.equal(
      summarizeSnooze([off(kyiv(14, 2)), on(kyiv(16, 40), kyiv(14, 2))], context(en))?.text,
      '🔕 <b>While the admin held back alerts</b>: 🔴 14:02–🟢 16:40, off for 2 h 38 min\n📍 Дача\nNow: 🟢 power on since 16:40',
    );
  });

  test('several changes, including halves of outages that began before or end after the snooze', () => {
    const alerts: Alert[] = [
      on(kyiv(9, 15), kyiv(7, 0)), // went off before the snooze began
      { kind: 'short_outage', from: kyiv(10, 0), to: kyiv(10, 3) },
      off(kyiv(12, 0)),
      on(kyiv(12, 20), kyiv(12, 0)),
      off(kyiv(17, 5)), // still off at the end
    ];
    const summary = summarizeSnooze(alerts, { ...context(), placeName: 'Дача <b>' });
    assert.deepEqual(summary?.state, { status: 'off', since: kyiv(17, 5) });
    assert.equal(
      summary?.text,
      [
        '🔕 <b>Поки адміністратор притримував сповіщення</b>',
        '📍 Дача &lt;b&gt;',
        "🟢 09:15 світло з'явилося, не було 2 год 15 хв",
        '🟡 10:00–10:03 коротке відключення',
        '🔴 12:00–🟢 12:20, не було 20 хв',
        '🔴 17:05 світло зникло',
        'Зараз: 🔴 світла немає з 17:05',
      ].join('\n'),
    );
  });

  test('times on another day than the post carry the date; an outage that began during a restart says so', () => {
    const night = { ...context(en), now: kyiv(9, 0) + 24 * HOUR };
    const alerts: Alert[] = [{ kind: 'power_off', at: kyiv(23, 40), notBefore: kyiv(23, 10), previousMs: null }, on(kyiv(23, 55), kyiv(23, 40))];
    assert.equal(
      summarizeSnooze(alerts, night)?.text,
      [
        '🔕 <b>While the admin held back alerts</b>',
        '📍 Дача',
        '🔴 power went out between 20.11 23:10 and 20.11 23:40',
        '🟢 20.11 23:55 power came back, off for 15 min',
        'Now: 🟢 power on since 20.11 23:55',
      ].join('\n'),
    );
  });

  test('a long flap keeps the latest lines and counts the rest', () => {
    const alerts: Alert[] = [];
    for (let i = 0; i < 20; i += 1) {
      const start = kyiv(6, 0) + i * 30 * MINUTE;
      alerts.push(off(start), on(start + 10 * MINUTE, start));
    }
    const lines = summarizeSnooze(alerts, context())!.text.split('\n');
    assert.equal(lines[2], '… і ще 5 раніше');
    assert.equal(lines.length, 3 + SNOOZE_SUMMARY_MAX_LINES + 1);
    assert.equal(lines.at(-2), '🔴 15:30–🟢 15:40, не було 10 хв');
  });

  test('snooze for 1, 3 or 12 hours', () => {
    assert.deepEqual([...SNOOZE_HOURS], [1, 3, 12]);
    assert.equal(snoozeUntil(1_000, 3), 1_000 + 3 * HOUR);
  });
});

describe('the snooze store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let snoozes: SnoozeStore;
  let home: number;
  let dacha: number;
  const clock = new ManualClock(kyiv(12, 0));

  const addPlace = (name: string) =>
    insertPlaceRow(store.connection, { name, api_key: `key-${name}-0000000000`, created_at: 0 });
  const heldRows = () => countRows(store.connection, 'snoozed_alerts');

  beforeEach(async () => {
    dir = tempDir('snoozes-');
    store = await openTestStore(dir.file('monitor.db'));
    snoozes = new SnoozeStore(store.connection, new PlaceStore(store.connection));
    home = addPlace('Home');
    dacha = addPlace('Dacha');
    clock.set(kyiv(12, 0));
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  test('a place that is not snoozed delivers as usual', () => {
    assert.deepEqual(snoozes.hold(home, off(clock.now()), clock.now()), { held: false, ended: null });
    assert.equal(snoozes.active(home, clock.now()), undefined);
    assert.equal(snoozes.end(home), undefined);
    assert.equal(heldRows(), 0);
  });

  test('snoozed: alerts are held; the snooze runs out and one summary of them is due; nothing is held after it', () => {
    assert.equal(snoozes.snooze(home, snoozeUntil(clock.now(), 3), { now: clock.now(), by: 42 }), 'snoozed');
    assert.deepEqual(snoozes.active(home, clock.now()), { placeId: home, since: kyiv(12, 0), until: kyiv(15, 0), setBy: 42 });
    clock.set(kyiv(14, 2));
    assert.deepEqual(snoozes.hold(home, off(kyiv(14, 0)), clock.now()), { held: true });
    assert.deepEqual(snoozes.hold(dacha, off(kyiv(14, 0)), clock.now()), { held: false, ended: null }, 'other places are not snoozed');
    clock.set(kyiv(14, 41));
    assert.deepEqual(snoozes.hold(home, on(kyiv(14, 40), kyiv(14, 0)), clock.now()), { held: true });
    assert.deepEqual(snoozes.due(clock.now()), []);

    clock.set(kyiv(15, 0));
    assert.equal(snoozes.active(home, clock.now()), undefined);
    assert.deepEqual(snoozes.due(clock.now()), [home]);
    const ended = snoozes.end(home);
    assert.deepEqual(ended, {
      placeId: home,
      since: kyiv(12, 0),
      until: kyiv(15, 0),
      setBy: 42,
      alerts: [off(kyiv(14, 0)), on(kyiv(14, 40), kyiv(14, 0))],
      unreadable: 0,
    });
    assert.equal(summarizeSnooze(ended!.alerts, context())?.state.status, 'on');
    assert.deepEqual(snoozes.due(clock.now()), []);
    assert.equal(heldRows(), 0);
    assert.deepEqual(snoozes.hold(home, off(kyiv(15, 30)), kyiv(15, 31)), { held: false, ended: null });
  });

  test('an alert after the end, before the periodic check: the summary comes first, then the alert', () => {
    snoozes.snooze(home, kyiv(13, 0), { now: clock.now(), by: null });
    snoozes.hold(home, off(kyiv(12, 30)), kyiv(12, 31));
    const result = snoozes.hold(home, on(kyiv(13, 5), kyiv(12, 30)), kyiv(13, 6));
    assert.equal(result.held, false);
    assert.deepEqual(!result.held && result.ended?.alerts, [off(kyiv(12, 30))]);
    assert.equal(snoozes.get(home), undefined);
  });

  test('snooze with no changes ends with nothing to say', () => {
    snoozes.snooze(home, kyiv(13, 0), { now: clock.now(), by: 42 });
    const ended = snoozes.end(home);
    assert.deepEqual(ended?.alerts, []);
    assert.equal(summarizeSnooze(ended!.alerts, context()), null);
  });

  test('snoozing again moves the end and keeps what was held; ending early returns it', () => {
    snoozes.snooze(home, kyiv(13, 0), { now: clock.now(), by: 42 });
    snoozes.hold(home, off(kyiv(12, 10)), kyiv(12, 11));
    assert.equal(snoozes.snooze(home, kyiv(23, 0), { now: kyiv(12, 30), by: 43 }), 'extended');
    assert.deepEqual(snoozes.get(home), { placeId: home, since: kyiv(12, 0), until: kyiv(23, 0), setBy: 43 });
    assert.equal(heldRows(), 1);
    assert.deepEqual(snoozes.end(home)?.alerts, [off(kyiv(12, 10))]);
    assert.throws(() => snoozes.snooze(home, kyiv(11, 0), { now: clock.now(), by: 42 }), /ends in the future/);
    assert.equal(snoozes.snooze(9_999, kyiv(13, 0), { now: clock.now(), by: 42 }), 'place_missing');
  });

  test('deleting a place drops its snooze and what it held', () => {
    snoozes.snooze(home, kyiv(13, 0), { now: clock.now(), by: 42 });
    snoozes.hold(home, off(kyiv(12, 10)), kyiv(12, 11));
    prepareQuery(store.connection, queryBuilder.deleteFrom('locations').where('id', '=', home)).run();
    assert.equal(snoozes.get(home), undefined);
    assert.equal(heldRows(), 0);
  });

  test('held alerts are read back field by field', () => {
    const alerts: Alert[] = [
      off(1, null),
      { kind: 'power_off', at: 5, notBefore: 2, previousMs: 3 },
      { kind: 'power_on', at: 9, fromUptime: true, offSince: 5, offMs: 4 },
      { kind: 'short_outage', from: 10, to: 11 },
    ];
    for (const alert of alerts) assert.deepEqual(readAlert(JSON.stringify(alert)), alert);
    assert.equal(readAlert('{'), null);
    assert.equal(readAlert('null'), null);
    assert.equal(readAlert('{"kind":"power_on","at":1}'), null);
    assert.equal(readAlert('{"kind":"power_off","at":"noon","previousMs":null}'), null);
    assert.equal(readAlert('{"kind":"power_off","at":1,"previousMs":null,"notBefore":"x"}'), null);
    assert.equal(readAlert('{"kind":"explosion","at":1}'), null);
  });
});
