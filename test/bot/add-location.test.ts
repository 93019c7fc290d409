import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { administrator } from '../support/fake-bot-api.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, heartbeat, keyFromConfigMessage, textsOf, uploadedText } from '../support/admin-chat.js';

const CHANNEL = { id: CHANNEL_ID, type: 'channel', title: 'Світло: Дача', username: 'dacha_power' } as const;

describe('adding a place in the chat', () => {
  let t: TelegramTestApp;
  let chat: AdminChat;
  useTelegramApp((app) => {
    t = app;
    t.fake.setChat(CHANNEL);
    chat = new AdminChat(t.fake, OWNER);
  });
  beforeEach(async () => {
    for (const place of await t.places()) await t.system.places.delete(place.id);
    t.fake.setChatMember(CHANNEL.id, t.fake.botUser.id, administrator(t.fake.botUser));
  });

  const lastText = () => chat.last().text ?? '';
  /** The optional schedule step after the channel: "no schedule"; the place is made then. */
  const skipSchedule = () => chat.press(chat.lastMenu(), '⏭ Без графіка');

  /** Opens the main menu and walks to the channel step with the given name and a 2-minute timeout. */
  async function toChannelStep(name: string): Promise<void> {
    await chat.send('/start');
    await chat.press(chat.lastMenu(), '➕ Додати місце');
    await chat.send(name);
    await chat.press(chat.last(), '2 хв');
    assert.match(lastText(), /крок 3 з 4/);
  }

  test('name → timeout button → skip the channel, then the shown key works for heartbeats', async () => {
    await chat.send('/start');
    assert.match(lastText(), /Місця/);
    await chat.press(chat.lastMenu(), '➕ Додати місце');
    assert.match(lastText(), /крок 1 з 4/);

    await chat.send('Дача <b>');
    assert.match(lastText(), /Дача &lt;b&gt;/, 'the name is escaped in the HTML prompt');
    assert.match(lastText(), /крок 2 з 4/);
    await chat.press(chat.last(), '5 хв');
    const channelPrompt = chat.last();
    assert.match(channelPrompt.text ?? '', /крок 3 з 4/);

    await chat.send('Пропустити: типовий канал');
    assert.match(lastText(), /Виберіть регіон/, 'the optional schedule step');
    assert.equal((await t.places()).length, 0, 'nothing is written before the last step');
    const calls = await skipSchedule();
    assert.deepEqual(calls.filter((call) => call.failed), [], 'Telegram accepted every call');
    const texts = textsOf(calls);
    assert.ok(texts.some((text) => text.includes('додано, тайм-аут 5 хв.') && text.includes('Типового каналу не задано')), texts.join('\n---\n'));
    const configText = texts.find((text) => text.includes('Конфіг ESP32'));
    assert.ok(configText);
    const key = keyFromConfigMessage(configText);
    assert.match(configText, /api\/heartbeat/);
    const document = calls.find((call) => call.method === 'sendDocument');
    assert.ok(document);
    const header = uploadedText(document);
    assert.match(header, new RegExp(`#define DEVICE_KEY "${key}"`));
    assert.match(header, /#define LOCATION_TIMEOUT_S 300/);
    assert.match(header, /#define SERVER_URL ".*\/api\/heartbeat"/);
    assert.match(chat.lastMenu().text ?? '', /Дача &lt;b&gt;|Дача <b>/, 'the place menu follows');

    const [place] = await t.places();
    assert.ok(place);
    assert.equal(place.name, 'Дача <b>');
    assert.equal(place.timeout_s, 300);
    assert.equal(place.channel_id, null);
    assert.equal(await heartbeat(t.url('/api/heartbeat'), key), 200);
    assert.equal((await t.place(place.id)).status, 'on');
  });

  test('invalid names and timeouts are refused with the reason, and nothing is created meanwhile', async () => {
    await chat.send('/add');
    await chat.send('x'.repeat(65));
    assert.match(lastText(), /Назва задовга \(65 символів\); не більше 64/, 'refusals are in the admin language');
    assert.match(lastText(), /^⚠️/);
    await chat.send('   ');
    assert.match(lastText(), /Назва порожня/);
    await chat.send('Офіс');
    assert.match(lastText(), /крок 2 з 4/);
    await chat.send('abc');
    assert.match(lastText(), /«abc» — це не тайм-аут/);
    // Too short and too long get one and the same refusal, whatever the number looks like.
    const refusals: string[] = [];
    for (const input of ['0', '99999999', '5', '48h']) {
      await chat.send(input);
      refusals.push(lastText().replace(`«${input}»`, '«…»'));
    }
    assert.deepEqual(new Set(refusals).size, 1, refusals.join('\n'));
    assert.match(refusals[0] ?? '', /^⚠️ Тайм-аут «…» поза межами: можна від 20 с до 24 год\./);
    await chat.send('3m');
    assert.match(lastText(), /крок 3 з 4/);
    assert.equal((await t.places()).length, 0, 'nothing is written before the last step');
    await chat.send('not a channel!');
    assert.match(lastText(), /Це не канал/);
    await chat.send('Пропустити: типовий канал');
    await skipSchedule();
    const [place] = await t.places();
    assert.equal(place?.name, 'Офіс');
    assert.equal(place?.timeout_s, 180);
  });

  test('a typed channel id is checked: a missing right is named, and once granted the channel is linked', async () => {
    t.fake.setChatMember(CHANNEL.id, t.fake.botUser.id, administrator(t.fake.botUser, { can_edit_messages: false }));
    await toChannelStep('Дім');
    await chat.send(String(CHANNEL.id));
    assert.match(lastText(), /Редагувати чужі повідомлення/);
    assert.doesNotMatch(lastText(), /бракує права «Публікувати/);
    assert.equal((await t.places()).length, 0);

    t.fake.setChatMember(CHANNEL.id, t.fake.botUser.id, { status: 'member' });
    await chat.send('@dacha_power');
    assert.match(lastText(), /не адміністратор/);

    t.fake.setChatMember(CHANNEL.id, t.fake.botUser.id, administrator(t.fake.botUser));
    await chat.send('@dacha_power');
    const calls = await skipSchedule();
    assert.ok(textsOf(calls).some((text) => text.includes('Світло: Дача')));
    const [place] = await t.places();
    assert.equal(place?.channel_id, String(CHANNEL.id), 'stored by numeric id, which survives a username change');
    assert.equal(place?.timeout_s, 120);
  });

  test('a channel picked with the chat picker or a forwarded post is linked; the picker asks for the rights', async () => {
    await toChannelStep('Гараж');
    const prompt = t.fake.callsOf('sendMessage').findLast((call) => String(call.params.text).includes('крок 3 з 4'));
    const keyboard = prompt?.params.reply_markup as { keyboard: { request_chat?: Record<string, unknown> }[][] } | undefined;
    const picker = keyboard?.keyboard.flat().find((button) => button.request_chat)?.request_chat;
    assert.ok(picker, 'a request_chat button is offered');
    assert.equal(picker.chat_is_channel, true);
    assert.equal(picker.bot_is_member, true);
    assert.deepEqual(
      [(picker.bot_administrator_rights as Record<string, boolean>).can_post_messages, (picker.bot_administrator_rights as Record<string, boolean>).can_edit_messages],
      [true, true],
    );
    await chat.send('', { chat_shared: { request_id: 1, chat_id: CHANNEL.id, title: CHANNEL.title } });
    await skipSchedule();
    assert.equal((await t.places())[0]?.channel_id, String(CHANNEL.id));

    await toChannelStep('Склад');
    await chat.send('a repost', { forward_origin: { type: 'channel', chat: CHANNEL, message_id: 7, date: 0 } });
    await skipSchedule();
    const places = await t.places();
    assert.deepEqual(
      places.map((place) => [place.name, place.channel_id]),
      [
        ['Гараж', String(CHANNEL.id)],
        ['Склад', String(CHANNEL.id)],
      ],
    );
  });

  test('a place added by an admin who reads English posts in English', async () => {
    await t.system.admins.setLanguage(OWNER.id, 'en', t.clock.now());
    try {
      await chat.send('/add');
      await chat.send('Cottage');
      await chat.press(chat.last(), '1 min');
      await chat.send('Skip: use the default channel');
      const calls = await chat.press(chat.lastMenu(), '⏭ No schedule');
      assert.ok(textsOf(calls).some((text) => text.includes('<b>Cottage</b> is added, timeout 1 min.')), textsOf(calls).join('\n---\n'));
      const [place] = await t.places();
      assert.equal(place?.language, 'en');
      assert.match(chat.lastMenu().text ?? '', /Posts in English/);
    } finally {
      await t.system.admins.setLanguage(OWNER.id, 'uk', t.clock.now());
    }
  });

  test('a channel the bot cannot see gets a clear answer', async () => {
    await toChannelStep('Дім');
    await chat.send('-1009999999999');
    assert.match(lastText(), /не бачу цього каналу/);
    await chat.send('/cancel');
    assert.equal((await t.places()).length, 0);
  });
});
