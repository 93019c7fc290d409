import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, test } from 'node:test';
import { attachedFile } from '../support/fake-bot-api.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';

describe('commands', () => {
  let t: TelegramTestApp;
  let chat: AdminChat;
  useTelegramApp((app) => {
    t = app;
    chat = new AdminChat(t.fake, OWNER);
  });

  test("the command menu: a subscriber's for everyone, the admin's in each admin's chat, in Ukrainian, English and by default", () => {
    const names = (commands: { command: string }[]) => commands.map((command) => command.command);
    assert.deepEqual(names(t.fake.commands()), ['start', 'stats', 'settings', 'help'], 'no admin command for everyone');
    assert.equal(t.fake.commands({ type: 'default' }, 'en').find((command) => command.command === 'start')?.description, 'My places');
    assert.equal(t.fake.commands({ type: 'default' }, 'uk').find((command) => command.command === 'settings')?.description, 'Мова і тихі години');
    const ownersChat = { type: 'chat', chat_id: OWNER.id };
    assert.deepEqual(names(t.fake.commands(ownersChat)), ['locations', 'add', 'stats', 'diagram', 'export', 'backup', 'admins', 'settings', 'language', 'help', 'cancel']);
    assert.equal(t.fake.commands(ownersChat, 'en').find((command) => command.command === 'stats')?.description, 'Power statistics for a period');
    assert.equal(t.fake.commands(ownersChat, 'uk').find((command) => command.command === 'stats')?.description, 'Статистика світла за період');
    assert.equal(t.fake.commands(ownersChat, 'en').find((command) => command.command === 'add')?.description, 'Add a place');
    assert.equal(t.fake.commands(ownersChat, 'uk').find((command) => command.command === 'add')?.description, 'Додати місце');
  });

  test('/help lists the commands', async () => {
    const [help] = textsOf(await chat.send('/help'));
    assert.match(help ?? '', /\/locations[\s\S]*\/stats — статистика[\s\S]*\/backup/);
  });

  test('/backup sends a consistent snapshot and keeps no copy', async () => {
    await t.createPlace({ name: 'Дім', timeoutS: 60 });
    const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('monitor-backup-')).length;
    const before = leftovers();
    const calls = await chat.send('/backup');
    const document = calls.find((call) => call.method === 'sendDocument');
    assert.ok(document, 'a document was sent');
    const file = attachedFile(document, document.params.document);
    assert.match(file?.filename ?? '', /^monitor-\d{4}-\d\d-\d\d-\d{4}\.db$/);
    assert.equal(file?.bytes.subarray(0, 15).toString('latin1'), 'SQLite format 3');
    assert.match(String(document.params.caption), /ключі пристроїв/);
    assert.equal(leftovers(), before, 'the temporary file is gone');
  });

  test('/export asks for a place and sends its history as CSV', async () => {
    const place = (await t.places())[0]!;
    const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
    assert.equal(response.status, 200);
    await chat.send('/export');
    assert.match(chat.lastMenu().text ?? '', /CSV/);
    assert.deepEqual(chat.lastMenu().reply_markup?.inline_keyboard.filter((row) => row.length === 0), [], 'no empty row at the end');
    const calls = await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((label) => label.includes('Дім'))!);
    const document = calls.find((call) => call.method === 'sendDocument');
    assert.ok(document);
    const csv = attachedFile(document, document.params.document)?.bytes.toString('utf8') ?? '';
    assert.match(csv, /^status,started_at_local,/);
    assert.match(csv, /\r\non,2026-11-20T12:00:00\+02:00,/);
  });

  test('/diagram asks for a place and answers honestly', async () => {
    await chat.send('/diagram');
    assert.deepEqual(chat.lastMenu().reply_markup?.inline_keyboard.map((row) => row.length), [1], 'one place, no empty row after it');
    const calls = await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((label) => label.includes('Дім'))!);
    assert.match(textsOf(calls).join(), /[Дд]іаграм/);
  });

  test('/language switches this admin to English and back; the choice is kept', async () => {
    await chat.send('/language');
    await chat.press(chat.lastMenu(), '🇬🇧 English');
    assert.match(chat.lastMenu().text ?? '', /This chat is in English now[\s\S]*Places/);
    assert.equal(await t.system.admins.languageOf(OWNER.id), 'en');
    await chat.send('/start');
    assert.ok(AdminChat.labels(chat.lastMenu()).includes('➕ Add a place'));
    await chat.send('/add');
    assert.match(chat.last().text ?? '', /step 1 of 4/, 'conversations follow the choice too');
    await chat.send('/cancel');
    await chat.press(chat.lastMenu(), '🌐 Мова / Language');
    await chat.press(chat.lastMenu(), '🇺🇦 Українська');
    assert.match(chat.lastMenu().text ?? '', /українською/);
  });
});
