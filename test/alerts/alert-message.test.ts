import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAlert, formatDelayed, formatDigest, formatFlapping } from '../../src/alerts/alert-message.js';
import { formatDuration } from '../../src/i18n/duration.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';

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
  assert.equal(text, "🟢 <b>Power is back</b>\n📍 Home\n🕒 12:05 · was off for 3 h 12 min\nℹ️ The device itself told when the power came back: it switched on with the power.");
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

test('alerts that piled up while delivery was down: one post, an outage and its return on one line', () => {
  const alerts = [
    { kind: 'power_off' as const, at, previousMs: 3600_000 },
    { kind: 'power_on' as const, at: at + 158 * MIN, fromUptime: false, offSince: at, offMs: 158 * MIN },
    { kind: 'short_outage' as const, from: at + 170 * MIN, to: at + 172 * MIN },
    { kind: 'power_off' as const, at: at + 180 * MIN, previousMs: 8 * MIN },
  ];
  const later = at + 200 * MIN;
  assert.equal(
    formatDelayed(alerts, { placeName: 'Дім', timeZone: zone, now: later, t: uk }),
    '⏳ <b>Сповіщення затрималися</b>\n📍 Дім\n🔴 12:05–🟢 14:43, не було 2 год 38 хв\n🟡 14:55–14:57 коротке відключення\n🔴 15:05 зникло\nЗараз: 🔴 світла немає',
  );
  assert.equal(
    formatDelayed(alerts.slice(1, 2), { placeName: '<b>', timeZone: zone, now: later, t: en }),
    '🟢 <b>Power is back</b>\n📍 &lt;b&gt;\n🕒 14:43 · was off for 2 h 38 min\n⏳ This alert was delayed by 42 min.',
  );
  assert.equal(
    formatDelayed([alerts[1]!, alerts[3]!], { placeName: 'Home', timeZone: zone, now: later, t: en }),
    '⏳ <b>Alerts were delayed</b>\n📍 Home\n🟢 14:43 came back after 2 h 38 min\n🔴 15:05 went out\nNow: 🔴 no power',
  );
  // A post only a minute late reads like any other.
  assert.equal(formatDelayed(alerts.slice(0, 1), { placeName: 'Дім', timeZone: zone, now: at + MIN, t: uk }), formatAlert(alerts[0]!, { placeName: 'Дім', timeZone: zone, now: at + MIN, t: uk }));
});

test('a digest: the count of places without power in the chat, then a line per place', () => {
  const off = (name: string, minute: number) => ({ placeName: name, alerts: [{ kind: 'power_off' as const, at: at + minute * MIN, previousMs: null }], delayed: false });
  const entries = [
    off("Під'їзд 1", 0),
    { placeName: "Під'їзд 2", alerts: [{ kind: 'power_on' as const, at: at + 2 * MIN, fromUptime: false, offSince: at - 60 * MIN, offMs: 62 * MIN }], delayed: false },
    { placeName: '<Під>', alerts: [{ kind: 'power_off' as const, at, previousMs: null }, { kind: 'power_on' as const, at: at + MIN, fromUptime: false, offSince: at, offMs: MIN }, { kind: 'power_off' as const, at: at + 2 * MIN, previousMs: MIN }], delayed: false },
  ];
  assert.equal(
    formatDigest(entries, { timeZone: zone, now: at + 3 * MIN, t: uk, total: 40, off: 12 }),
    "⚡ <b>12:07 — 12 з 40 місць без світла</b>\n🔴 Під'їзд 1 · зникло о 12:05\n🟢 Під'їзд 2 · з'явилося о 12:07, не було 1 год 2 хв\n🔴 &lt;Під&gt; · зникло о 12:07 (змін: 3)",
  );
  assert.match(formatDigest(entries.slice(0, 1), { timeZone: zone, now: at, t: uk, total: 21, off: 1 }), /^⚡ <b>12:05 — 1 з 21 місця без світла<\/b>/);
  assert.match(formatDigest(entries.slice(0, 1), { timeZone: zone, now: at, t: en, total: 1, off: 1 }), /^⚡ <b>12:05 — 1 of 1 place without power<\/b>\n🔴 Під'їзд 1 · went out at 12:05$/);

  const many = Array.from({ length: 45 }, (_, i) => ({ ...off(`P${i + 1}`, 0), delayed: i === 44 }));
  const long = formatDigest(many, { timeZone: zone, now: at, t: en, total: 45, off: 45 });
  assert.equal(long.split('\n').length, 1 + 30 + 2, 'thirty places, then how many more, then the delay note');
  assert.match(long, /\n…and 15 more\n⏳ These alerts were delayed: Telegram could not be reached\.$/);
  assert.ok(long.length < 4096);
});
