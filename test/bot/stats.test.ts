import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import { FUTURE_STYLE, STATUS_COLORS } from '../../src/diagram/theme.js';
import type { Place } from '../../src/places/place-service.js';
import { PICTURE_PIXEL_RATIO, pictureHeight, pictureHourX, pictureRowCenterY, PICTURE_WIDTH } from '../../src/reports/month-picture.js';
import { attachedFile, startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { AdminChat, handled, textsOf } from '../support/admin-chat.js';

const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();
const STRANGER = { id: 5555, is_bot: false, first_name: 'Stranger', language_code: 'uk' } as const;
/** The first picture waits for the render worker to start (compiling TypeScript under tsx). */
const RENDER_WAIT_MS = 60_000;

/** The callback data of a button, to replay it from someone else. */
function dataOf(message: Message, label: string): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((candidate) => candidate.text === label);
  assert.ok(button && 'callback_data' in button && button.callback_data, `no button ${label}`);
  return button.callback_data;
}

function photoOf(calls: RecordedCall[]): { png: PNG; caption: string } {
  const call = calls.find((candidate) => candidate.method === 'sendPhoto' && !candidate.failed);
  assert.ok(call, `a photo was sent; calls: ${calls.map((candidate) => candidate.method).join(', ')}`);
  const file = attachedFile(call, call.params.photo);
  assert.ok(file, 'the photo was uploaded');
  return { png: PNG.sync.read(file.bytes), caption: String(call.params.caption) };
}

/** The colour of a picture row at an hour (the picture is 24 hours across). */
function colourAt(png: PNG, rowIndex: number, hour: number): string {
  const x = Math.round(pictureHourX(hour, 24) * PICTURE_PIXEL_RATIO);
  const y = Math.round(pictureRowCenterY(rowIndex) * PICTURE_PIXEL_RATIO);
  const offset = (y * png.width + x) * 4;
  return `#${[0, 1, 2].map((channel) => png.data[offset + channel]!.toString(16).padStart(2, '0')).join('')}`;
}

describe('/stats', () => {
  const dir = tempDir();
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let chat: AdminChat;
  let stranger: AdminChat;
  let home: Place;

  /** Presses a button and waits for the bot to be done with it, the picture included. */
  async function press(message: Message, label: string, who: AdminChat = chat): Promise<RecordedCall[]> {
    const start = fake.calls.length;
    const update = fake.pushUpdate(fake.pressButton(who.user, message, label));
    await handled(fake, update.update_id, RENDER_WAIT_MS);
    return fake.calls.slice(start);
  }

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    // The test clock stands at Friday 20 November 2026, 12:00 in Kyiv.
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake });
    chat = new AdminChat(fake, OWNER);
    stranger = new AdminChat(fake, STRANGER);
    home = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await t.createPlace({ name: 'Нова дача', timeoutS: 60 });
    // Home was watched since 1 October: two outages in the last 7 days, one of them this morning.
    t.write((db) => db.updateTable('locations').set({ created_at: kyiv('2026-10-01T00:00') }).where('id', '=', home.id));
    const event = (status: 'on' | 'off', started_at: number, ended_at: number | null) => ({ location_id: home.id, status, started_at, ended_at, start_edge: 'heartbeat' as const });
    t.write((db) =>
      db.insertInto('power_events').values([
        event('on', kyiv('2026-10-01T00:00'), kyiv('2026-11-15T20:00')),
        event('off', kyiv('2026-11-15T20:00'), kyiv('2026-11-15T21:30')),
        event('on', kyiv('2026-11-15T21:30'), kyiv('2026-11-20T08:00')),
        event('off', kyiv('2026-11-20T08:00'), kyiv('2026-11-20T10:00')),
        event('on', kyiv('2026-11-20T10:00'), null),
      ]),
    );
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  /** /stats, then the place: the period menu. */
  async function openPeriods(placeLabel: string): Promise<Message> {
    await chat.send('/stats');
    const chooser = chat.lastMenu();
    const label = AdminChat.labels(chooser).find((text) => text.includes(placeLabel));
    assert.ok(label, `a button for ${placeLabel} among ${AdminChat.labels(chooser).join(', ')}`);
    await chat.press(chooser, label);
    return chat.lastMenu();
  }

  test('asks for a place, then a period; every button fits Telegram’s 64 bytes and no row is empty', async () => {
    await chat.send('/stats');
    const chooser = chat.lastMenu();
    assert.match(chooser.text ?? '', /Статистику якого місця показати/);
    const rows = chooser.reply_markup?.inline_keyboard ?? [];
    assert.deepEqual(
      rows.map((row) => row.length),
      [1, 1],
      'one place a row, nothing after the last',
    );
    await chat.press(chooser, AdminChat.labels(chooser).find((text) => text.includes('Дім'))!);
    const periods = chat.lastMenu();
    assert.equal(periods.message_id, chooser.message_id, 'the same message, edited');
    assert.match(periods.text ?? '', /<b>Дім<\/b>: за який час/);
    assert.deepEqual(
      periods.reply_markup?.inline_keyboard.map((row) => row.map((button) => button.text)),
      [['7 днів', '30 днів'], ['Цей місяць', 'Минулий місяць'], ['⬅️ Інше місце']],
    );
    for (const button of [...rows.flat(), ...(periods.reply_markup?.inline_keyboard.flat() ?? [])]) {
      assert.ok('callback_data' in button && Buffer.byteLength(button.callback_data ?? '') <= 64, JSON.stringify(button));
    }
    await chat.press(periods, '⬅️ Інше місце');
    assert.match(chat.lastMenu().text ?? '', /Статистику якого місця/);
  });

  test('7 days: a real picture of the days, with the totals as its caption, in Ukrainian', async () => {
    const periods = await openPeriods('Дім');
    const calls = await press(periods, '7 днів');
    const { png, caption } = photoOf(calls);
    assert.equal(
      caption,
      [
        '📊 <b>14–20 листопада</b> · Дім',
        '🔴 Без світла: 3 год 30 хв · 2 відключення',
        '⏱ Найдовше: 2 год (пт, 20 листопада, з 08:00)',
        '💡 Світло було 98% часу',
      ].join('\n'),
    );
    assert.deepEqual([png.width, png.height], [PICTURE_WIDTH * PICTURE_PIXEL_RATIO, pictureHeight(7) * PICTURE_PIXEL_RATIO]);
    const today = 6;
    // Sampled off the 3-hour marks drawn across the rows.
    assert.equal(colourAt(png, today, 8.5), STATUS_COLORS.off, 'this morning’s outage');
    assert.equal(colourAt(png, today, 11.5), STATUS_COLORS.on);
    assert.ok(([FUTURE_STYLE.fill, FUTURE_STYLE.stripe] as string[]).includes(colourAt(png, today, 18.5)), 'the rest of today is still ahead');
    assert.equal(colourAt(png, 1, 20.75), STATUS_COLORS.off, 'Sunday evening’s outage, on the second row');
    assert.equal(chat.lastMenu().message_id, periods.message_id, 'the period menu stays for another period');
  });

  test('in English for an admin who chose English, whatever the place posts in', async () => {
    await t.system.admins.setLanguage(OWNER.id, 'en', t.clock.now());
    try {
      const periods = await openPeriods('Дім');
      const { caption, png } = photoOf(await press(periods, 'This month'));
      assert.match(caption, /^📊 <b>1–20 Nov<\/b> · Дім\n🔴 Without power: 3 h 30 min · 2 outages\n/);
      assert.equal(png.height, pictureHeight(20) * PICTURE_PIXEL_RATIO, 'the 1st to today');
      assert.equal((await t.place(home.id)).language, 'uk');
    } finally {
      await t.system.admins.setLanguage(OWNER.id, 'uk', t.clock.now());
    }
  });

  test('a period with no data says so, without an empty picture', async () => {
    const periods = await openPeriods('Нова дача');
    const calls = await press(periods, 'Минулий місяць');
    assert.equal(calls.filter((call) => call.method === 'sendPhoto').length, 0);
    assert.deepEqual(textsOf(calls), ['📊 <b>Жовтень 2026</b> · Нова дача\nДаних за цей час немає: монітор не отримував сигналів від пристрою.']);
  });

  test('a forged press from someone who is not an admin gets a refusal and no picture', async () => {
    const periods = await openPeriods('Дім');
    const forged = await stranger.deliver(fake.callbackQuery(STRANGER, periods, dataOf(periods, '30 днів')));
    assert.deepEqual(
      forged.map((call) => call.method).filter((method) => method !== 'getUpdates'),
      ['answerCallbackQuery'],
      'no render, no photo, no message',
    );
    assert.match(String(forged.find((call) => call.method === 'answerCallbackQuery')?.params.text), /лише адміністраторам/);
  });

  test('the menus work after a restart', async () => {
    const periods = await openPeriods('Дім');
    await t.stop();
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake });
    const calls = await press(periods, '30 днів');
    assert.ok(!calls.some((call) => call.method === 'answerCallbackQuery' && String(call.params.text ?? '').includes('застаріло')));
    const { caption, png } = photoOf(calls);
    assert.match(caption, /^📊 <b>22 жовтня – 20 листопада<\/b> · Дім\n/);
    assert.equal(png.height, pictureHeight(30) * PICTURE_PIXEL_RATIO);
  });
});
