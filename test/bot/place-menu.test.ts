import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, heartbeat, keyFromConfigMessage, textsOf, uploadedText } from '../support/admin-chat.js';

describe("a place's menu", () => {
  let t: TelegramTestApp;
  let chat: AdminChat;
  let place: Place;
  useTelegramApp(async (app) => {
    t = app;
    chat = new AdminChat(t.fake, OWNER);
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    const response = await fetch(t.url('/api/heartbeat'), {
      method: 'POST',
      headers: { authorization: `Bearer ${place.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fw: '1.2.0', rssi: -61, uptime_ms: 3_600_000, boot_id: 'b1' }),
    });
    assert.equal(response.status, 200);
    t.clock.advance(5 * 60_000);
  });

  const reload = () => t.place(place.id);

  /** /start, then the place's button: the menu message, now showing the place. */
  async function openPlace(): Promise<Message> {
    await chat.send('/start');
    const main = chat.lastMenu();
    const label = AdminChat.labels(main).find((text) => text.includes('Дім'));
    assert.ok(label, `a button for the place among ${AdminChat.labels(main).join(', ')}`);
    await chat.press(main, label);
    return chat.lastMenu();
  }

  test('the main menu shows status and time since the change; the place shows its device facts', async () => {
    await chat.send('/locations');
    const labels = AdminChat.labels(chat.lastMenu());
    assert.ok(labels.includes('🟢 Дім · 5 хв'), labels.join(', '));
    assert.ok(labels.includes('➕ Додати місце'));
    const menu = await openPlace();
    const text = menu.text ?? '';
    assert.match(text, /Світло є 5 хв/);
    assert.match(text, /прошивка 1\.2\.0/);
    assert.match(text, /Wi-Fi -61 дБм/);
    assert.match(text, /Останній сигнал 12:00/, 'local time in Europe/Kyiv');
  });

  test('ESP32 config comes as a message and a config.h; recent events list the power', async () => {
    const menu = await openPlace();
    const calls = await chat.press(menu, '📟 Конфіг ESP32');
    const configText = textsOf(calls).find((text) => text.includes('Конфіг ESP32'));
    assert.ok(configText);
    assert.equal(keyFromConfigMessage(configText), place.api_key);
    assert.match(configText, /&lt;this-server&gt;/, 'the placeholder host is escaped');
    const document = calls.find((call) => call.method === 'sendDocument');
    assert.ok(document);
    assert.match(uploadedText(document), /#define HEARTBEAT_INTERVAL_S 10/);

    const events = await chat.press(menu, '📜 Останні події');
    assert.match(textsOf(events).join(), /🟢 світло є з 20\.11 12:00 · уже 5 хв/);
  });

  test('a new key offers a routine change or a revocation; a revoked key is refused at once and the card says it waits', async () => {
    const oldKey = (await reload()).api_key;
    const menu = await openPlace();
    await chat.press(menu, '🔑 Новий ключ');
    assert.match(chat.lastMenu().text ?? '', /Планова заміна.*Ключ витік/s);
    assert.equal((await reload()).api_key, oldKey, 'nothing changes before a choice');
    await chat.press(menu, '⬅️ Ні, назад');
    assert.equal((await reload()).api_key, oldKey);

    await chat.press(menu, '🔑 Новий ключ');
    const calls = await chat.press(menu, '⛔ Ключ витік: вимкнути старий');
    const newKey = keyFromConfigMessage(textsOf(calls).find((text) => text.includes('Конфіг ESP32')) ?? '');
    assert.notEqual(newKey, oldKey);
    assert.equal(await heartbeat(t.url('/api/heartbeat'), oldKey), 401);
    const card = chat.messages().find((message) => message.message_id === menu.message_id)?.text ?? '';
    assert.match(card, /старий більше не діє/);
    assert.match(card, /Чекаю на сигнал з новим ключем/);
    assert.equal(await heartbeat(t.url('/api/heartbeat'), newKey), 200);
    assert.equal((await reload()).awaiting_key_since, null);
  });

  test('a routine key change keeps the old key working until the board uses the new one', async () => {
    const oldKey = (await reload()).api_key;
    const menu = await openPlace();
    await chat.press(menu, '🔑 Новий ключ');
    const calls = await chat.press(menu, '🔄 Планова заміна');
    const newKey = keyFromConfigMessage(textsOf(calls).find((text) => text.includes('Конфіг ESP32')) ?? '');
    const card = chat.messages().find((message) => message.message_id === menu.message_id)?.text ?? '';
    assert.match(card, /Старий працюватиме, доки плата не надішле сигнал з новим/);
    assert.match(card, /Старий ключ ще працює/);
    assert.equal(await heartbeat(t.url('/api/heartbeat'), oldKey), 200, 'the board not yet reflashed');
    assert.equal(await heartbeat(t.url('/api/heartbeat'), newKey), 200);
    assert.equal(await heartbeat(t.url('/api/heartbeat'), oldKey), 401, 'the old key ended with the first use of the new one');
  });

  test('pause and resume, the post language, rename and timeout', async () => {
    const menu = await openPlace();
    await chat.press(menu, '⏸ Пауза');
    assert.equal((await reload()).paused, 1);
    assert.ok(AdminChat.labels(chat.lastMenu()).includes('▶️ Відновити'));
    await chat.press(menu, '▶️ Відновити');
    assert.equal((await reload()).paused, 0);

    await chat.press(menu, '🌐 Мова публікацій');
    await chat.press(menu, '🇬🇧 English');
    assert.equal((await reload()).language, 'en');
    assert.match(chat.lastMenu().text ?? '', /Публікації англійською/);

    await chat.press(menu, '✏️ Перейменувати');
    await chat.send('Дім на Подолі');
    assert.equal((await reload()).name, 'Дім на Подолі');
    assert.match(chat.lastMenu().text ?? '', /<b>Дім на Подолі<\/b>/, 'the place menu comes back');

    await chat.press(chat.lastMenu(), '⏱ Тайм-аут');
    assert.match(chat.last().text ?? '', /Тайм-аут місця <b>Дім на Подолі<\/b> — 1 хв\./, 'timeouts read as durations');
    await chat.press(chat.last(), '10 хв');
    assert.equal((await reload()).timeout_s, 600);
    assert.ok(chat.messages().some((message) => message.text?.includes('тепер 10 хв. Пристрій має надсилати сигнал кожні 60 с')));
    assert.match(chat.lastMenu().text ?? '', /⏱ Тайм-аут 10 хв · пристрій надсилає сигнал кожні 60 с/);

    await chat.press(chat.lastMenu(), '📢 Канал');
    await chat.send('Типовий канал');
    assert.equal((await reload()).channel_id, null);
    assert.ok(chat.messages().some((message) => message.text?.includes('Типового каналу не задано')));
  });

  test('"Diagram now" answers honestly', async () => {
    const menu = await openPlace();
    const calls = await chat.press(menu, '📊 Діаграма зараз');
    assert.match(textsOf(calls).join(), /[Дд]іаграм/);
    assert.deepEqual(calls.filter((call) => call.failed), []);
  });

  test('delete says what goes, and only a confirmation deletes', async () => {
    const menu = await openPlace();
    await chat.press(menu, '🗑 Видалити');
    const events = await t.system.places.countEvents(place.id);
    assert.equal(events, 4, 'on, paused, on again, and the open one');
    assert.match(chat.lastMenu().text ?? '', /Буде видалено місце і всі його 4 події світла, а також діаграми/, 'the count reads as a phrase');
    await chat.press(menu, '⬅️ Ні, назад');
    assert.ok(await reload());

    await chat.press(menu, '🗑 Видалити');
    await chat.press(menu, '🗑 Так, видалити');
    assert.deepEqual(await t.places(), []);
    const after = chat.messages().find((message) => message.message_id === menu.message_id);
    assert.match(after?.text ?? '', /🗑 <b>Дім на Подолі<\/b> видалено разом з 4 подіями світла\./);
    assert.ok(AdminChat.labels(after!).includes('➕ Додати місце'), 'back at the main menu');
  });
});
