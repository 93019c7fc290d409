import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import { LOCALES } from '../../src/i18n/translator.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';

const STRANGER = { id: 5555, is_bot: false, first_name: 'Stranger', language_code: 'en' } as const;
const STRANGER_TEXT = 'This bot sends power alerts only to people who were invited. Ask whoever watches the place for an invite link.';
const answers = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => String(call.params.text ?? ''));
const edits = (calls: RecordedCall[]) => calls.filter((call) => call.method.startsWith('edit'));
/** The callback data of a button, to replay it from someone else or with another payload. */
const dataOf = (message: Message, label: string) => {
  const button = message.reply_markup?.inline_keyboard.flat().find((candidate) => candidate.text === label);
  assert.ok(button && 'callback_data' in button && button.callback_data, `no button ${label}`);
  return button.callback_data;
};

describe('only admins get anything of the admin chat', () => {
  let t: TelegramTestApp;
  let owner: AdminChat;
  let stranger: AdminChat;
  useTelegramApp((app) => {
    t = app;
    owner = new AdminChat(t.fake, OWNER);
    stranger = new AdminChat(t.fake, STRANGER);
  });

  test('a stranger gets one short refusal per message and no menu or flow', async () => {
    for (const text of ['/start', '/add', '/backup', 'Дім']) {
      const calls = await stranger.send(text);
      assert.deepEqual(textsOf(calls), [STRANGER_TEXT], text);
      assert.equal(calls.filter((call) => call.method === 'sendDocument').length, 0);
    }
    assert.equal(stranger.messages().filter((message) => message.reply_markup).length, 0);
  });

  test("a stranger pressing or replaying the owner's buttons changes nothing", async () => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await owner.send('/start');
    const menu = owner.lastMenu();
    await owner.press(menu, AdminChat.labels(menu).find((label) => label.includes('Дім'))!);
    await owner.press(menu, '🗑 Видалити');
    const confirm = owner.lastMenu();
    const deleteData = dataOf(confirm, '🗑 Так, видалити');

    const forged = await stranger.deliver(t.fake.callbackQuery(STRANGER, confirm, deleteData));
    assert.deepEqual(answers(forged), ['Only admins can do this.']);
    assert.deepEqual(edits(forged), []);
    const pressed = await stranger.deliver(t.fake.pressButton(STRANGER, confirm, '⬅️ Ні, назад'));
    assert.deepEqual(edits(pressed), []);
    assert.equal((await t.place(place.id)).name, 'Дім', 'still there');

    // An admin's forged data: another fingerprint, an unknown menu, garbage.
    const wrongHash = await owner.pressData(confirm, deleteData.replace(/\/f.*$/, '/fXXXX'));
    assert.match(answers(wrongHash).join(), /застаріло/);
    for (const data of ['dl/0/0/999/f', 'zz/0/0/1/fxxxx', 'garbage', 'cv:t:60']) {
      const calls = await owner.pressData(confirm, data);
      assert.equal(answers(calls).length, 1, `one answer for ${data}`);
    }
    assert.equal((await t.places()).length, 1, 'nothing was deleted');

    await owner.send('/start');
    await owner.press(owner.lastMenu(), '⚪ Дім');
    await owner.press(owner.lastMenu(), '🗑 Видалити');
    await owner.press(owner.lastMenu(), '🗑 Так, видалити');
    assert.equal((await t.places()).length, 0);
    const replayed = await owner.pressData(confirm, deleteData);
    assert.ok(edits(replayed).every((call) => !/видалено/i.test(String(call.params.text))), 'a replay deletes nothing more');
  });

  test('admins add and remove admins; OWNER_ID cannot be removed', async () => {
    await owner.send('/admins');
    await owner.press(owner.lastMenu(), '➕ Додати адміністратора');
    await owner.send('not an id');
    assert.match(owner.last().text ?? '', /числовий id/);
    await owner.send(String(STRANGER.id));
    assert.ok(await t.system.admins.isAdmin(STRANGER.id));
    const strangersCommands = (language = '') => t.fake.commands({ type: 'chat', chat_id: STRANGER.id }, language).map((command) => command.command);
    // The menu is updated beside the reply (a failure there must not stop the chat): wait for its last call.
    await t.fake.waitForCall('setMyCommands', (call) => call.params.language_code === LOCALES.at(-1) && (call.params.scope as { chat_id?: number }).chat_id === STRANGER.id);
    assert.ok(strangersCommands().includes('admins') && strangersCommands('en').includes('backup'), "the new admin's chat gets the admin menu of commands");
    assert.match(owner.lastMenu().text ?? '', /5555/);

    const welcomed = await stranger.send('/start');
    assert.ok(textsOf(welcomed).some((text) => text.includes('Places')), 'the new admin sees the menu, in English');
    const strangersMenu = stranger.lastMenu();

    await owner.send('/admins');
    await owner.press(owner.lastMenu(), '➕ Додати адміністратора');
    await owner.send('fwd', { forward_origin: { type: 'hidden_user', sender_user_name: 'Someone', date: 0 } });
    assert.match(owner.last().text ?? '', /приватності/);
    await owner.send('fwd', { forward_origin: { type: 'user', sender_user: { id: 7007, is_bot: false, first_name: 'Taras' }, date: 0 } });
    assert.ok(await t.system.admins.isAdmin(7007));
    await owner.send('/admins');
    await owner.press(owner.lastMenu(), '➕ Додати адміністратора');
    await owner.send('', { users_shared: { request_id: 2, users: [{ user_id: 8008, first_name: 'Ira' }] } });
    assert.ok(await t.system.admins.isAdmin(8008));
    assert.match(owner.lastMenu().text ?? '', /Taras[\s\S]*Ira/);

    const adminsMenu = owner.lastMenu();
    assert.ok(!AdminChat.labels(adminsMenu).some((label) => label.includes(String(OWNER.id))), 'the owner has no remove button');
    await owner.press(adminsMenu, '➖ 5555');
    const confirm = owner.lastMenu();
    const removeData = dataOf(confirm, '➖ Так, прибрати');
    await owner.press(confirm, '➖ Так, прибрати');
    assert.equal(await t.system.admins.isAdmin(STRANGER.id), false);
    await t.fake.waitForCall('deleteMyCommands', (call) => call.params.language_code === LOCALES.at(-1) && (call.params.scope as { chat_id?: number }).chat_id === STRANGER.id);
    assert.deepEqual([strangersCommands(), strangersCommands('en'), strangersCommands('uk')], [[], [], []], "a removed admin's chat falls back to everyone's menu");
    const refused = await stranger.press(strangersMenu, '🔄 Refresh');
    assert.deepEqual(answers(refused), ['Only admins can do this.']);

    // Removing OWNER_ID by forging the payload is refused.
    await owner.pressData(confirm, removeData.replace('/5555/', `/${OWNER.id}/`));
    assert.ok(await t.system.admins.isAdmin(OWNER.id));
    assert.match(owner.lastMenu().text ?? '', /OWNER_ID/);
  });
});

describe('claiming the bot with the setup code', () => {
  let t: TelegramTestApp;
  useTelegramApp(
    (app) => {
      t = app;
    },
    { env: { OWNER_ID: '' } },
  );

  test('the first person with the code becomes admin; the code works once; the last admin stays', async () => {
    const code = t.row((db) => db.selectFrom('service_state').select('value').where('key', '=', 'admin_setup_code'))?.value;
    assert.ok(code && code.length >= 16, 'a setup code waits in service_state');
    const first = new AdminChat(t.fake, { id: 4242, is_bot: false, first_name: 'Olha', language_code: 'uk' });
    const second = new AdminChat(t.fake, STRANGER);

    assert.deepEqual(textsOf(await first.send('/start wrong-code')), [
      'Цей бот надсилає сповіщення про світло лише тим, кого запросили. Попросіть посилання-запрошення в того, хто стежить за місцем.',
    ]);
    const claimed = await first.send(`/start ${code}`);
    assert.match(textsOf(claimed).join(), /Тепер ви адміністратор/);
    assert.match(first.lastMenu().text ?? '', /Місця/);
    assert.ok(await t.system.admins.isAdmin(4242));

    assert.deepEqual(textsOf(await second.send(`/start ${code}`)), [STRANGER_TEXT]);
    assert.equal(await t.system.admins.isAdmin(STRANGER.id), false);
    assert.equal(t.row((db) => db.selectFrom('service_state').select('value').where('key', '=', 'admin_setup_code')), undefined);

    await first.send('/admins');
    await first.press(first.lastMenu(), '➖ Olha');
    await first.press(first.lastMenu(), '➖ Так, прибрати');
    assert.match(first.lastMenu().text ?? '', /останній адміністратор/);
    assert.ok(await t.system.admins.isAdmin(4242));
  });
});
