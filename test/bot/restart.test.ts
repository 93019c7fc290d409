import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import { OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { AdminChat } from '../support/admin-chat.js';

/** A deploy restarts the process while an admin is in the middle of something. */
const dir = tempDir();
let fake: FakeBotApi;
let t: TelegramTestApp;
let chat: AdminChat;
const restart = async () => {
  await t.stop();
  t = await startTelegramTestApp(dir.file('monitor.db'), { fake });
};

before(async () => {
  fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
  t = await startTelegramTestApp(dir.file('monitor.db'), { fake });
  chat = new AdminChat(fake, OWNER);
});
after(async () => {
  await t.stop();
  await fake.close();
  dir.cleanup();
});

test('a menu sent before a restart still works after it', async () => {
  const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
  await chat.send('/start');
  const menu = chat.lastMenu();
  await chat.press(menu, '⚪ Дім');
  assert.ok(chat.last().reply_markup);

  await restart();
  const calls = await chat.press(menu, '⏸ Пауза');
  assert.equal((await t.place(place.id)).paused, 1);
  assert.ok(!calls.some((call) => call.method === 'answerCallbackQuery' && String(call.params.text ?? '').includes('застаріло')));
  assert.ok(AdminChat.labels(chat.lastMenu()).includes('▶️ Відновити'));

  await restart();
  await chat.press(menu, '⬅️ Усі місця');
  assert.match(chat.lastMenu().text ?? '', /Місця/);
  await chat.press(menu, AdminChat.labels(chat.lastMenu()).find((label) => label.startsWith('⏸ Дім'))!);
  assert.match(chat.lastMenu().text ?? '', /На паузі/);
  await t.system.places.delete(place.id);
});

test('a conversation waiting for an answer picks up where it was after a restart', async () => {
  await chat.send('/add');
  await chat.send('Дача');
  const timeoutPrompt = chat.last();
  await restart();
  await chat.press(timeoutPrompt, '2 хв');
  assert.match(chat.last().text ?? '', /крок 3 з 4/);
  await restart();
  await chat.send('Пропустити: типовий канал');
  const schedulePicker = chat.lastMenu();
  await restart();
  await chat.press(schedulePicker, '⏭ Без графіка');
  const places = await t.places();
  assert.deepEqual(
    places.map((place) => [place.name, place.timeout_s]),
    [['Дача', 120]],
  );
});
