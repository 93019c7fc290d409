import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';

/** Waits (real time) until the bot sent the owner a message matching `pattern`. */
async function toldOwner(t: TelegramTestApp, pattern: RegExp, withinMs = 5000): Promise<string> {
  const until = Date.now() + withinMs;
  for (;;) {
    const found = t.fake.sentMessages(OWNER.id).find((message) => pattern.test(message.text ?? ''));
    if (found) return found.text ?? '';
    if (Date.now() > until) throw new Error(`the owner was not told ${pattern}`);
    await t.drain();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('📟 Пристрої in the place menu', () => {
  let t: TelegramTestApp;
  let chat: AdminChat;
  let place: Place;
  useTelegramApp(async (app) => {
    t = app;
    chat = new AdminChat(t.fake, OWNER);
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fw: '2.0', link: 'wifi' }) });
    assert.equal(response.status, 200);
  });

  async function openDevices(): Promise<Message> {
    await chat.send('/start');
    await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((text) => text.includes('Дім'))!);
    const card = chat.lastMenu();
    await chat.press(card, '📟 Пристрої');
    return chat.lastMenu();
  }

  test("the first device's first call tells the admins, and the card lists the place's devices", async () => {
    assert.match(await toldOwner(t, /на зв'язку/), /✅ «Пристрій 1» \(Дім\) на зв'язку, \d\d:\d\d/);
    const list = await openDevices();
    assert.match(list.text ?? '', /📟 <b>Дім<\/b>: пристрої \(1\)/);
    assert.match(list.text ?? '', /📟 <b>Пристрій 1<\/b>: на зв'язку .* · Wi-Fi · прошивка 2\.0/);
    assert.deepEqual(AdminChat.labels(list), ['📟 Пристрій 1', '➕ Додати пристрій', '⬅️ Назад']);
  });

  test('add asks a name, shows the key and both addresses; its first event is announced; the card shows it', async () => {
    const list = await openDevices();
    await chat.press(list, '➕ Додати пристрій');
    assert.match(chat.last().text ?? '', /Як назвати новий пристрій для «Дім»/);
    const calls = await chat.send('Телефон');
    const added = textsOf(calls).find((text) => text.includes('Ключ:'));
    assert.ok(added, textsOf(calls).join('\n---\n'));
    const key = /Ключ: <code>([A-Za-z0-9_-]{16,})<\/code>/.exec(added)?.[1];
    assert.ok(key);
    assert.match(added, /\/api\/heartbeat/);
    assert.match(added, new RegExp(`/api/event\\?key=${key}&amp;mains=off`));
    const phone = (await t.system.places.devicesOf(place.id)).find((device) => device.name === 'Телефон');
    assert.equal(phone?.api_key, key);

    const answer = await fetch(t.url(`/api/event?key=${key}&mains=on`));
    assert.equal(answer.status, 200);
    assert.match(await toldOwner(t, /«Телефон».*на зв'язку/), /✅ «Телефон» \(Дім\) на зв'язку/);

    await chat.send('/start');
    await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((text) => text.includes('Дім'))!);
    const card = chat.lastMenu().text ?? '';
    assert.match(card, /📟 <b>Пристрій 1<\/b>/);
    assert.match(card, /📟 <b>Телефон<\/b>: на зв'язку .* · 🔌 бачить мережу з/);
  });

  test('a taken name is refused and asked again; rename; a new key (revoke) stops the old one', async () => {
    let list = await openDevices();
    await chat.press(list, '📟 Телефон');
    let device = chat.lastMenu();
    assert.deepEqual(AdminChat.labels(device), ['🔗 Ключ і адреси', '✏️ Перейменувати', '🔑 Новий ключ', '🗑 Прибрати', '⬅️ Назад']);
    await chat.press(device, '✏️ Перейменувати');
    await chat.send('пристрій 1');
    assert.match(chat.last().text ?? '', /вже є пристрій «пристрій 1»/);
    await chat.send('Телефон Олени');
    assert.match(textsOf(t.fake.calls.slice(-5)).join('\n'), /Тепер пристрій називається <b>Телефон Олени<\/b>/);

    const before = (await t.system.places.devicesOf(place.id)).find((one) => one.name === 'Телефон Олени')!;
    list = chat.lastMenu();
    await chat.press(list, '📟 Телефон Олени');
    device = chat.lastMenu();
    await chat.press(device, '🔑 Новий ключ');
    await chat.press(chat.lastMenu(), '⛔ Ключ витік: вимкнути старий');
    const after = (await t.system.places.devicesOf(place.id)).find((one) => one.id === before.id)!;
    assert.notEqual(after.api_key, before.api_key);
    assert.equal((await fetch(t.url(`/api/event?key=${before.api_key}&mains=on`))).status, 401);
    assert.match(chat.lastMenu().text ?? '', /старий більше не діє/);
  });

  test('remove asks first; the last device cannot be removed and the menu says why', async () => {
    let list = await openDevices();
    await chat.press(list, '📟 Телефон Олени');
    await chat.press(chat.lastMenu(), '🗑 Прибрати');
    assert.match(chat.lastMenu().text ?? '', /Прибрати пристрій <b>Телефон Олени<\/b>/);
    assert.equal((await t.system.places.devicesOf(place.id)).length, 2, 'nothing happens before yes');
    await chat.press(chat.lastMenu(), '🗑 Так, прибрати');
    assert.match(chat.lastMenu().text ?? '', /прибрано, його ключ більше не діє/);
    assert.equal((await t.system.places.devicesOf(place.id)).length, 1);

    list = chat.lastMenu();
    await chat.press(list, '📟 Пристрій 1');
    await chat.press(chat.lastMenu(), '🗑 Прибрати');
    assert.match(chat.lastMenu().text ?? '', /єдиний пристрій цього місця/);
    assert.equal((await t.system.places.devicesOf(place.id)).length, 1);
  });
});
