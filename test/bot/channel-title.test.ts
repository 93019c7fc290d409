import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import { administrator } from '../support/fake-bot-api.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat } from '../support/admin-chat.js';

const CHANNEL = { id: CHANNEL_ID, type: 'channel', title: 'Світло: Дача', username: 'dacha_power' } as const;
const OTHER_CHANNEL = { id: CHANNEL_ID - 7, type: 'channel', title: 'Світло <Офіс>' } as const;
const UNKNOWN_CHANNEL = '-1009999';
const MINUTE = 60_000;

describe('channels are named by their titles', () => {
  let t: TelegramTestApp;
  let chat: AdminChat;
  let dacha: Place;
  useTelegramApp(async (app) => {
    t = app;
    t.fake.setChat(CHANNEL);
    t.fake.setChat(OTHER_CHANNEL);
    t.fake.setChatMember(OTHER_CHANNEL.id, t.fake.botUser.id, administrator(t.fake.botUser));
    chat = new AdminChat(t.fake, OWNER);
    dacha = await t.createPlace({ name: 'Дача', timeoutS: 60, channelId: String(CHANNEL.id) });
  });

  const storedTitle = (chatId: string | number) =>
    t.row((db) => db.selectFrom('channel_titles').select('title').where('chat_id', '=', String(chatId)))?.title;

  async function openPlace(name: string): Promise<Message> {
    await chat.send('/locations');
    const main = chat.lastMenu();
    await chat.press(main, AdminChat.labels(main).find((label) => label.includes(name))!);
    return chat.lastMenu();
  }

  test('the card asks Telegram for the title and shows it instead of the id', async () => {
    const card = (await openPlace('Дача')).text ?? '';
    assert.match(card, /📢 Канал «Світло: Дача»/);
    assert.doesNotMatch(card, new RegExp(String(CHANNEL.id)));
    assert.equal(storedTitle(CHANNEL.id), 'Світло: Дача', 'kept for the admin notice too');
  });

  test('a renamed channel is seen when the card is shown again; not asked twice within a minute', async () => {
    t.fake.setChat({ ...CHANNEL, title: 'Світло на дачі' });
    const asked = () => t.fake.callsOf('getChat').length;
    const before = asked();
    const menu = await openPlace('Дача');
    assert.equal(asked(), before, 'confirmed a moment ago: no new question');
    assert.match(menu.text ?? '', /«Світло: Дача»/);

    t.clock.advance(2 * MINUTE);
    await chat.press(menu, '🔄 Оновити');
    assert.equal(asked(), before + 1);
    assert.match(chat.lastMenu().text ?? '', /📢 Канал «Світло на дачі»/);
  });

  test('when Telegram cannot say, the last known title stays', async () => {
    t.clock.advance(2 * MINUTE);
    t.fake.failNext(1, { code: 400, description: 'Bad Request: chat not found' }, { method: 'getChat' });
    const card = (await openPlace('Дача')).text ?? '';
    assert.match(card, /📢 Канал «Світло на дачі»/);
  });

  test('a channel Telegram never named is shown by its id', async () => {
    await t.createPlace({ name: 'Склад', timeoutS: 60, channelId: UNKNOWN_CHANNEL });
    const card = (await openPlace('Склад')).text ?? '';
    assert.match(card, /📢 Канал -1009999/);
  });

  test('linking a channel remembers its title; the English card uses English quotes and escapes it', async () => {
    const menu = await openPlace('Дача');
    await chat.press(menu, '📢 Канал');
    assert.match(chat.last().text ?? '', /Зараз: 📢 Канал «Світло на дачі»/, 'the question names the current channel too');
    await chat.send(String(OTHER_CHANNEL.id));
    assert.equal((await t.place(dacha.id)).channel_id, String(OTHER_CHANNEL.id));
    assert.equal(storedTitle(OTHER_CHANNEL.id), 'Світло <Офіс>');

    await t.system.admins.setLanguage(OWNER.id, 'en', t.clock.now());
    try {
      const card = (await openPlace('Дача')).text ?? '';
      assert.match(card, /📢 Channel “Світло &lt;Офіс&gt;”/);
    } finally {
      await t.system.admins.setLanguage(OWNER.id, 'uk', t.clock.now());
    }
  });
});
