import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAlert, formatFlapping } from '../../src/telegram/alert-message.js';
import { formatDuration } from '../../src/telegram/duration.js';
import { createI18n, translatorFor } from '../../src/telegram/translator.js';

const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');
const zone = 'Europe/Kyiv';
// 2026-11-20 12:05 in Kyiv (UTC+2 in winter)
const at = Date.UTC(2026, 10, 20, 10, 5);
const MIN = 60_000;

test('durations in words, in both languages', () => {
  assert.equal(formatDuration(3 * 3600_000 + 12 * MIN, uk), '3 год 12 хв');
  assert.equal(formatDuration(3 * 3600_000 + 12 * MIN, en), '3 h 12 min');
  assert.equal(formatDuration(45 * MIN, en), '45 min');
  assert.equal(formatDuration(2 * 3600_000, uk), '2 год');
  assert.equal(formatDuration(20_000, en), '20 s');
  assert.equal(formatDuration(26 * 3600_000 + 5 * MIN, en), '1 d 2 h');
});

test('power gone: headline, place, local time and how long it had been on', () => {
  const text = formatAlert({ kind: 'power_off', at, previousMs: 5 * 3600_000 + 3 * MIN }, { placeName: 'Дім', timeZone: zone, now: at, t: uk });
  assert.equal(text, '🔴 <b>Світло зникло</b>\n📍 Дім\n🕒 12:05 · світло було 5 год 3 хв');
  const english = formatAlert({ kind: 'power_off', at, previousMs: null }, { placeName: 'Home', timeZone: zone, now: at, t: en });
  assert.equal(english, '🔴 <b>Power is gone</b>\n📍 Home\n🕒 12:05');
});

test('power back: how long it was off, and a note when the time came from the device uptime', () => {
  const alert = { kind: 'power_on' as const, at, fromUptime: true, offSince: at - 192 * MIN, offMs: 192 * MIN };
  const text = formatAlert(alert, { placeName: 'Home', timeZone: zone, now: at, t: en });
  assert.equal(text, "🟢 <b>Power is back</b>\n📍 Home\n🕒 12:05 · was off for 3 h 12 min\nℹ️ Return time taken from the device's uptime after it rebooted.");
  const ukText = formatAlert({ ...alert, fromUptime: false }, { placeName: 'Дім', timeZone: zone, now: at, t: uk });
  assert.equal(ukText, '🟢 <b>Світло є</b>\n📍 Дім\n🕒 12:05 · не було 3 год 12 хв');
});

test('a time on another local day shows the date; DST is applied', () => {
  const summer = Date.UTC(2026, 6, 1, 21, 30); // 00:30 on 2 July in Kyiv (UTC+3)
  const text = formatAlert({ kind: 'power_off', at: summer, previousMs: null }, { placeName: 'X', timeZone: zone, now: summer + 3600_000, t: en });
  assert.match(text, /🕒 00:30$/);
  const earlier = formatAlert({ kind: 'power_off', at: summer - 3600_000, previousMs: null }, { placeName: 'X', timeZone: zone, now: summer, t: en });
  assert.match(earlier, /🕒 01\.07 23:30$/);
});

test('short outage and restart-window messages', () => {
  const short = formatAlert({ kind: 'short_outage', from: at, to: at + 2 * MIN }, { placeName: 'Home', timeZone: zone, now: at, t: en });
  assert.match(short, /^🟡 <b>Short outage<\/b>\n📍 Home\n🕒 12:05–12:07 · up to 2 min/);
  const restart = formatAlert({ kind: 'power_off', at, notBefore: at - 30 * MIN, previousMs: null }, { placeName: 'Home', timeZone: zone, now: at, t: en });
  assert.match(restart, /went out between 11:35 and 12:05/);
});

test('user text is escaped for HTML', () => {
  const text = formatAlert({ kind: 'power_off', at, previousMs: null }, { placeName: '<b>&x', timeZone: zone, now: at, t: en });
  assert.match(text, /📍 &lt;b&gt;&amp;x\n/);
  const flapping = formatFlapping([{ kind: 'power_off', at, previousMs: null }], { placeName: '<i>', timeZone: zone, now: at, t: en });
  assert.match(flapping, /📍 &lt;i&gt;/);
});

test('flapping: one post listing every change and the state now', () => {
  const text = formatFlapping(
    [
      { kind: 'power_on', at: at + MIN, fromUptime: false, offSince: at, offMs: MIN },
      { kind: 'power_off', at: at + 2 * MIN, previousMs: MIN },
    ],
    { placeName: 'Дача', timeZone: zone, now: at, t: uk },
  );
  assert.equal(text, "⚡ <b>Світло мигає</b>\n📍 Дача\n🟢 12:06 з'явилося\n🔴 12:07 зникло\nЗараз: 🔴 світла немає");
});
