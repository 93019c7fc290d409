import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { AdminChat, textsOf, uploadedText } from '../support/admin-chat.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

const JOHN = { id: 6001, is_bot: false, first_name: 'John', language_code: 'en' } as const;
const ENGLISH_ADMIN = { id: 6101, is_bot: false, first_name: 'Ann', language_code: 'en' } as const;
const INVITE = /https:\/\/t\.me\/power_monitor_bot\?start=([A-Za-z0-9_-]{32})/;

const documents = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'sendDocument' && !call.failed);

describe('"🔌 Connect a device" in a place\'s menu', () => {
  let t: TelegramTestApp;
  let owner: AdminChat;
  let place: Place;
  useTelegramApp(async (app) => {
    t = app;
    owner = new AdminChat(t.fake, OWNER);
    place = await t.createPlace({ name: 'Дім <Олени>', timeoutS: 60 });
  });

  /** The key of the device a recipe made for the place (named after the kind). */
  async function keyOf(name: string): Promise<string> {
    const device = (await t.system.places.devicesOf(place.id)).find((candidate) => candidate.name === name);
    return device?.api_key ?? assert.fail(`no device "${name}"`);
  }

  async function openRecipes(chat: AdminChat, placeLabel: RegExp): Promise<Message> {
    await chat.send('/start');
    const main = chat.lastMenu();
    const label = AdminChat.labels(main).find((text) => placeLabel.test(text));
    assert.ok(label, `the place among ${AdminChat.labels(main).join(', ')}`);
    await chat.press(main, label);
    const card = chat.lastMenu();
    await chat.press(card, AdminChat.labels(card).find((text) => text.startsWith('🔌')) ?? assert.fail('no 🔌 button'));
    return chat.lastMenu();
  }

  test('the admin picks Shelly and gets the script with the URL and the key, as a code block and a file', async () => {
    const list = await openRecipes(owner, /Дім/);
    assert.match(list.text ?? '', /🔌 <b>Дім &lt;Олени&gt;<\/b>: підключити пристрій/);
    assert.match(list.text ?? '', /Сторінка 1 з 2/);
    const labels = AdminChat.labels(list);
    assert.ok(labels.includes('Shelly (Plus / Pro / Gen3 / Gen4)'), labels.join(' | '));
    assert.ok(labels.includes('ESP32 з прошивкою проєкту'));
    assert.ok(labels.includes('Ще ▶️'));

    const calls = await owner.press(list, 'Shelly (Plus / Pro / Gen3 / Gen4)');
    const texts = textsOf(calls);
    // A device of its own: not the place's first one, whose key the add-place flow's config.h holds.
    const key = await keyOf('Shelly (Plus / Pro / Gen3 / Gen4)');
    assert.notEqual(key, place.api_key);
    // Without PUBLIC_URL the service cannot know its address: the recipe holds a placeholder and says so.
    const url = `http://<this-server>:${new URL(t.url('/')).port}/api/heartbeat`;
    assert.match(texts[0] ?? '', /^🔌 <b>Shelly \(Plus \/ Pro \/ Gen3 \/ Gen4\)<\/b> · Дім &lt;Олени&gt;/);
    assert.match(texts[0] ?? '', /📍 Вебсторінка Shelly/);
    assert.match(texts[0] ?? '', /не задано PUBLIC_URL/);
    const code = texts.find((text) => text.includes('<pre><code class="language-js">'));
    assert.ok(code, 'the script as a code block');
    assert.ok(code.includes(`${url.replace('<', '&lt;').replace('>', '&gt;')}?key=${key}`), 'URL and key in the script');
    const [file] = documents(calls);
    assert.ok(file, 'the script as a file');
    assert.equal(file.params.caption, '📄 power-monitor-shelly.js · Shelly (Plus / Pro / Gen3 / Gen4)');
    const script = uploadedText(file);
    assert.ok(script.includes(`let HEARTBEAT_URL = "${url}?key=${key}";`));
    assert.match(script, /Timer\.set\(INTERVAL_MS, true, sendHeartbeat\);/);
    assert.equal(owner.lastMenu().message_id, list.message_id, 'the list stays for the next pick');
  });

  test('the second page has the phones and NUT; the Linux units come as files with the install block inline', async () => {
    const list = await openRecipes(owner, /Дім/);
    await owner.press(list, 'Ще ▶️');
    const second = owner.lastMenu();
    assert.match(second.text ?? '', /Сторінка 2 з 2/);
    const labels = AdminChat.labels(second);
    for (const label of ['iPhone (Команди)', 'Android (MacroDroid)', 'Android (Tasker)', 'ДБЖ через NUT (upsmon)', '◀️ Попередні', '⬅️ Назад']) {
      assert.ok(labels.includes(label), `${label} among ${labels.join(' | ')}`);
    }
    const iphone = await owner.press(second, 'iPhone (Команди)');
    const all = textsOf(iphone).join('\n');
    assert.ok(all.includes(`&lt;this-server&gt;:${new URL(t.url('/')).port}/api/event?key=${await keyOf('iPhone (Команди)')}&amp;mains=off`));
    assert.match(all, /Зарядний пристрій/);
    assert.equal(documents(iphone).length, 0);

    const linux = await owner.press(owner.lastMenu(), 'Linux (systemd + curl)');
    assert.deepEqual(documents(linux).map((call) => uploadedText(call).split('\n')[0]), ['[Unit]', '[Unit]']);
    assert.equal(textsOf(linux).filter((text) => text.includes('<pre>')).length, 1, 'the install block only: it already holds both units');

    await owner.press(owner.lastMenu(), '◀️ Попередні');
    assert.match(owner.lastMenu().text ?? '', /Сторінка 1 з 2/);

    await owner.press(owner.lastMenu(), '⬅️ Назад');
    assert.match(owner.lastMenu().text ?? '', /Дім &lt;Олени&gt;/);
    assert.ok(AdminChat.labels(owner.lastMenu()).includes('🔌 Підключити пристрій'), 'back on the place card');
  });

  test('an English-speaking admin gets the recipe in English', async () => {
    await t.system.admins.add(ENGLISH_ADMIN.id, { addedBy: OWNER.id, displayName: 'Ann', now: t.clock.now() });
    const ann = new AdminChat(t.fake, ENGLISH_ADMIN);
    const list = await openRecipes(ann, /Дім/);
    assert.match(list.text ?? '', /connect a device/);
    const calls = await ann.press(list, 'MikroTik router');
    const texts = textsOf(calls);
    assert.match(texts[0] ?? '', /Winbox → New Terminal/);
    assert.match(texts[0] ?? '', /proves the internet, not the power/);
    const key = await keyOf('Роутер MikroTik');
    assert.ok(texts.some((text) => text.includes(`Authorization: Bearer ${key}`)));
  });

  test('each recipe gets a device of its own, asked twice it is the same one, and its first call is confirmed in the chat', async () => {
    const names = async () => (await t.system.places.devicesOf(place.id)).map((device) => device.name);
    const before = await names();
    const list = await openRecipes(owner, /Дім/);
    await owner.press(list, 'Shelly (Plus / Pro / Gen3 / Gen4)');
    await owner.press(owner.lastMenu(), 'Shelly (Plus / Pro / Gen3 / Gen4)');
    await owner.press(owner.lastMenu(), 'ESPHome');
    const after = await names();
    assert.equal(after[0], 'Пристрій 1', "the place's first device stays first");
    assert.deepEqual(
      after.filter((name) => !before.includes(name)),
      before.includes('Shelly (Plus / Pro / Gen3 / Gen4)') ? ['ESPHome'] : ['Shelly (Plus / Pro / Gen3 / Gen4)', 'ESPHome'],
      'one device per kind, however often it is asked for',
    );
    const devices = await t.system.places.devicesOf(place.id);
    assert.equal(new Set(devices.map((device) => device.api_key)).size, devices.length, 'a key each');

    const key = await keyOf('Shelly (Plus / Pro / Gen3 / Gen4)');
    const answer = await fetch(t.url(`/api/heartbeat?key=${key}`));
    assert.equal(answer.status < 300, true, `heartbeat answered ${answer.status}`);
    await t.drain();
    const told = t.fake.calls.filter((call) => call.method === 'sendMessage' && call.params.chat_id === OWNER.id).map((call) => String(call.params.text));
    assert.ok(told.some((text) => text.startsWith('✅') && text.includes('Shelly')), told.join('\n---\n'));
    // Once heard from, it is not handed out again: the next Shelly recipe makes another device.
    await owner.press(await openRecipes(owner, /Дім/), 'Shelly (Plus / Pro / Gen3 / Gen4)');
    assert.equal((await t.system.places.devicesOf(place.id)).length, devices.length + 1);
  });

  test('a subscriber cannot get a recipe (nor the key), even with a forged button', async () => {
    const list = await openRecipes(owner, /Дім/);
    await owner.press(owner.lastMenu(), '⬅️ Назад');
    await owner.press(owner.lastMenu(), '🔗 Запросити');
    const token = INVITE.exec(owner.lastMenu().text ?? '')?.[1];
    assert.ok(token);
    const john = new AdminChat(t.fake, JOHN);
    await john.send(`/start ${token}`);
    assert.ok(t.system.people.subscribers.placeIdsOf(JOHN.id).includes(place.id));

    const shelly = list.reply_markup?.inline_keyboard.flat().find((button) => button.text.startsWith('Shelly'));
    assert.ok(shelly && 'callback_data' in shelly && shelly.callback_data);
    const before = t.fake.calls.length;
    const forged = await john.deliver(t.fake.callbackQuery(JOHN, john.last(), shelly.callback_data));
    assert.deepEqual(forged.filter((call) => call.method === 'answerCallbackQuery').map((call) => String(call.params.text ?? '')), ['Only admins can do this.']);
    const sinceThen = t.fake.calls.slice(before);
    assert.equal(documents(sinceThen).length, 0);
    assert.ok(!JSON.stringify(sinceThen.map((call) => call.params)).includes(place.api_key), 'the key went nowhere');
    const card = john.messages().flatMap((message) => AdminChat.labels(message));
    assert.ok(!card.includes('🔌 Connect a device') && !card.includes('🔌 Підключити пристрій'), "not in a subscriber's menus");
  });
});
