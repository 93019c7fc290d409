import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import { AdminChat } from '../support/admin-chat.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

describe("a place's reports, switched in its menu", () => {
  let t: TelegramTestApp;
  let uk: AdminChat;
  let en: AdminChat;
  let place: Place;
  useTelegramApp(async (app) => {
    t = app;
    uk = new AdminChat(t.fake, OWNER);
    en = new AdminChat(t.fake, { ...OWNER, language_code: 'en' });
    place = await t.createPlace({ name: 'Дім' });
  });

  async function openReports(chat: AdminChat, placeButton: string, reportsButton: string): Promise<Message> {
    await chat.send('/start');
    const main = chat.lastMenu();
    const label = AdminChat.labels(main).find((text) => text.includes('Дім'));
    assert.ok(label);
    await chat.press(main, label);
    await chat.press(chat.lastMenu(), placeButton === '' ? reportsButton : placeButton);
    return chat.lastMenu();
  }

  test('both are on for a new place; one press turns each off and on again, and says what it did', async () => {
    const menu = await openReports(uk, '', '📊 Звіти');
    assert.match(menu.text ?? '', /📊 <b>Дім<\/b>: звіти в каналі\nЩопонеділка о 09:00 — підсумок тижня/);
    assert.deepEqual(AdminChat.labels(menu), ['☑️ Підсумок тижня', '☑️ Звіт за місяць', '⬅️ Назад']);

    await uk.press(menu, '☑️ Підсумок тижня');
    let shown = uk.lastMenu();
    assert.match(shown.text ?? '', /^📊 Підсумку тижня в каналі більше не буде\./);
    assert.deepEqual(AdminChat.labels(shown).slice(0, 2), ['⬜ Підсумок тижня', '☑️ Звіт за місяць']);
    assert.equal((await t.place(place.id)).weekly_report, 0);
    assert.equal((await t.place(place.id)).monthly_report, 1);

    await uk.press(shown, '☑️ Звіт за місяць');
    shown = uk.lastMenu();
    assert.match(shown.text ?? '', /^📅 Звіту за місяць у каналі більше не буде\./);
    await uk.press(shown, '⬜ Підсумок тижня');
    assert.match(uk.lastMenu().text ?? '', /^📊 Підсумок тижня виходитиме щопонеділка о 09:00\./);
    assert.deepEqual(
      [(await t.place(place.id)).weekly_report, (await t.place(place.id)).monthly_report],
      [1, 0],
    );

    await uk.press(uk.lastMenu(), '⬅️ Назад');
    assert.ok(AdminChat.labels(uk.lastMenu()).includes('📊 Звіти'), 'back on the place');
  });

  test('in English too', async () => {
    const menu = await openReports(en, '', '📊 Reports');
    assert.match(menu.text ?? '', /📊 <b>Дім<\/b>: reports in the channel\nEvery Monday at 09:00/);
    assert.deepEqual(AdminChat.labels(menu), ['☑️ Weekly summary', '⬜ Monthly report', '⬅️ Back']);
    await en.press(menu, '⬜ Monthly report');
    assert.match(en.lastMenu().text ?? '', /^📅 The monthly report will come out on the 1st at 09:00\./);
    assert.equal((await t.place(place.id)).monthly_report, 1);
  });
});
