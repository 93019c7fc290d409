import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { captionWithStatus, statusLine, type PlaceState } from '../../src/diagram/status-line.js';
import { createI18n, translatorFor, type Locale } from '../../src/i18n/translator.js';

const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();
const i18n = createI18n();
const now = kyiv('2026-11-20T15:30');

function line(place: PlaceState, locale: Locale, at = now): string {
  return statusLine(place, { now: at, timeZone: KYIV, t: translatorFor(i18n, locale) });
}

describe('the status line', () => {
  const since = (iso: string) => kyiv(iso);

  test('power on and off since a time today, yesterday or earlier, in Ukrainian', () => {
    assert.equal(line({ status: 'on', status_since: since('2026-11-20T14:02'), paused: 0 }, 'uk'), '<b>🟢 Світло є з 14:02</b>');
    assert.equal(line({ status: 'off', status_since: since('2026-11-20T00:00'), paused: 0 }, 'uk'), '<b>🔴 Світла немає з 00:00</b>');
    assert.equal(line({ status: 'off', status_since: since('2026-11-19T22:10'), paused: 0 }, 'uk'), '<b>🔴 Світла немає з 22:10 учора</b>');
    assert.equal(line({ status: 'on', status_since: since('2026-11-18T09:15'), paused: 0 }, 'uk'), '<b>🟢 Світло є з 18 листопада, 09:15</b>');
  });

  test('and in English', () => {
    assert.equal(line({ status: 'on', status_since: since('2026-11-20T14:02'), paused: 0 }, 'en'), '<b>🟢 Power on since 14:02</b>');
    assert.equal(line({ status: 'off', status_since: since('2026-11-19T22:10'), paused: 0 }, 'en'), '<b>🔴 No power since 22:10 yesterday</b>');
    assert.equal(line({ status: 'off', status_since: since('2026-10-31T23:59'), paused: 0 }, 'en'), '<b>🔴 No power since 31 Oct, 23:59</b>');
  });

  test('unknown, waiting for the first signal, and paused', () => {
    assert.equal(line({ status: 'unknown', status_since: null, paused: 0 }, 'uk'), '<b>⚪ Чекаємо на перший сигнал пристрою</b>');
    assert.equal(line({ status: 'unknown', status_since: null, paused: 0 }, 'en'), "<b>⚪ Waiting for the device's first signal</b>");
    assert.equal(line({ status: 'unknown', status_since: since('2026-11-20T12:30'), paused: 0 }, 'uk'), '<b>⚪ Стан невідомий з 12:30</b>');
    assert.equal(line({ status: 'unknown', status_since: since('2026-11-20T12:30'), paused: 0 }, 'en'), '<b>⚪ Status unknown since 12:30</b>');
    assert.equal(line({ status: 'unknown', status_since: since('2026-11-20T12:30'), paused: 1 }, 'uk'), '<b>⏸ Стеження призупинене з 12:30</b>');
    assert.equal(line({ status: 'unknown', status_since: since('2026-11-20T12:30'), paused: 1 }, 'en'), '<b>⏸ Monitoring paused since 12:30</b>');
    assert.equal(line({ status: 'on', status_since: null, paused: 1 }, 'en'), '<b>⏸ Monitoring paused</b>');
  });

  test('"yesterday" is the local calendar day, also right after a clock change', () => {
    // 26 October 2026 00:30, the night after the 25-hour day: 23:50 on the 25th is yesterday.
    assert.equal(line({ status: 'off', status_since: since('2026-10-25T23:50'), paused: 0 }, 'uk', kyiv('2026-10-26T00:30')), '<b>🔴 Світла немає з 23:50 учора</b>');
    assert.equal(line({ status: 'off', status_since: since('2026-10-24T23:50'), paused: 0 }, 'uk', kyiv('2026-10-26T00:30')), '<b>🔴 Світла немає з 24 жовтня, 23:50</b>');
  });

  test('the status line goes over the rest of the caption', () => {
    assert.equal(captionWithStatus('<b>🟢</b>', 'Дім · 14–20 листопада'), '<b>🟢</b>\nДім · 14–20 листопада');
    assert.equal(captionWithStatus('<b>🟢</b>', ''), '<b>🟢</b>');
  });
});
