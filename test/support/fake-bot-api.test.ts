import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Bot, GrammyError, HttpError, InputFile } from 'grammy';
import { attachedFile, startFakeBotApi, type FakeBotApi } from './fake-bot-api.js';

const TOKEN = '123456:TEST-token';
const ADMIN = { id: 42, first_name: 'Olena', username: 'olena' };
const CHANNEL_ID = -1001234567890;

/** The smallest valid PNG header the fake reads its size from (3×2 pixels). */
function pngBytes(width: number, height: number): Buffer {
  const header = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(header, 0);
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header;
}

describe('fake Bot API', () => {
  let fake: FakeBotApi;
  let bot: Bot;

  before(async () => {
    fake = await startFakeBotApi({ chats: [{ id: CHANNEL_ID, type: 'channel', title: 'Power: Home', username: 'power_home' }] });
    bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it('answers getMe with the configured bot', async () => {
    const me = await bot.api.getMe();
    assert.equal(me.is_bot, true);
    assert.equal(me.id, fake.botUser.id);
    assert.equal(fake.callsOf('getMe')[0]?.token, TOKEN);
  });

  it('sends messages with per-chat ids and records them', async () => {
    const first = await bot.api.sendMessage(ADMIN.id, '<b>Hello</b>', { parse_mode: 'HTML' });
    const second = await bot.api.sendMessage(ADMIN.id, 'again');
    const post = await bot.api.sendMessage('@power_home', 'power is back');

    assert.equal(second.message_id, first.message_id + 1);
    assert.equal(first.chat.type, 'private');
    assert.equal(post.chat.type, 'channel');
    assert.equal(post.chat.id, CHANNEL_ID);
    assert.equal(post.message_id, 1);
    const calls = fake.callsOf('sendMessage');
    assert.deepEqual(
      calls.map((call) => [call.params.chat_id, call.params.text]),
      [
        [ADMIN.id, '<b>Hello</b>'],
        [ADMIN.id, 'again'],
        ['@power_home', 'power is back'],
      ],
    );
    assert.ok(calls.every((call) => typeof call.at === 'number'));
  });

  it('refuses HTML Telegram could not parse', async () => {
    await assert.rejects(bot.api.sendMessage(ADMIN.id, '<b><b>x</b>', { parse_mode: 'HTML' }), (error: unknown) => {
      assert.ok(error instanceof GrammyError);
      assert.match(error.description, /can't parse entities/);
      return true;
    });
  });

  it('parses multipart uploads from sendPhoto with an InputFile', async () => {
    const bytes = pngBytes(1600, 900);
    const message = await bot.api.sendPhoto(CHANNEL_ID, new InputFile(bytes, 'week.png'), { caption: 'Week 12' });

    assert.equal(message.caption, 'Week 12');
    assert.deepEqual(message.photo.at(-1)?.width, 1600);
    const call = await fake.waitForCall('sendPhoto');
    assert.equal(call.params.chat_id, CHANNEL_ID); // Coerced from the multipart text field.
    assert.equal(call.params.caption, 'Week 12');
    const file = attachedFile(call, call.params.photo);
    assert.equal(file?.filename, 'week.png');
    assert.deepEqual(file?.bytes, bytes);
  });

  it('edits media with an InputFile and refuses unknown messages', async () => {
    const sent = await bot.api.sendPhoto(CHANNEL_ID, new InputFile(pngBytes(10, 10)));
    const edited = await bot.api.editMessageMedia(CHANNEL_ID, sent.message_id, {
      type: 'photo',
      media: new InputFile(pngBytes(20, 10)),
      caption: 'updated',
    });
    assert.ok(edited !== true);
    assert.equal(edited.photo?.at(-1)?.width, 20);
    assert.equal(edited.caption, 'updated');

    const call = fake.callsOf('editMessageMedia')[0];
    assert.ok(call);
    const media = call.params.media;
    assert.ok(typeof media === 'object' && media !== null && 'media' in media);
    assert.deepEqual(attachedFile(call, media.media)?.bytes, pngBytes(20, 10));

    await assert.rejects(
      bot.api.editMessageMedia(CHANNEL_ID, 9999, { type: 'photo', media: new InputFile(pngBytes(1, 1)) }),
      (error: unknown) => {
        assert.ok(error instanceof GrammyError);
        assert.equal(error.error_code, 400);
        assert.equal(error.description, 'Bad Request: message to edit not found');
        return true;
      },
    );
  });

  it('knows when an edit changes nothing and when the message is gone', async () => {
    const sent = await bot.api.sendMessage(ADMIN.id, 'menu');
    await assert.rejects(bot.api.editMessageText(ADMIN.id, sent.message_id, 'menu'), /message is not modified/);
    await bot.api.editMessageText(ADMIN.id, sent.message_id, 'menu 2');
    assert.equal(fake.lastSent(ADMIN.id)?.text, 'menu 2');

    await bot.api.deleteMessage(ADMIN.id, sent.message_id);
    await assert.rejects(bot.api.editMessageText(ADMIN.id, sent.message_id, 'menu 3'), /message to edit not found/);
  });

  it('tracks pins per chat', async () => {
    const monday = await bot.api.sendMessage(CHANNEL_ID, 'monday');
    const tuesday = await bot.api.sendMessage(CHANNEL_ID, 'tuesday');
    await bot.api.pinChatMessage(CHANNEL_ID, monday.message_id);
    await bot.api.pinChatMessage(CHANNEL_ID, tuesday.message_id);
    await bot.api.unpinChatMessage(CHANNEL_ID, monday.message_id);
    assert.deepEqual(fake.pinned(CHANNEL_ID), [tuesday.message_id]);
  });

  it('answers getChat and getChatMember for configured chats', async () => {
    const chat = await bot.api.getChat('@power_home');
    assert.equal(chat.id, CHANNEL_ID);
    const member = await bot.api.getChatMember(CHANNEL_ID, fake.botUser.id);
    assert.equal(member.status, 'administrator');
    assert.ok(member.status === 'administrator' && member.can_post_messages && member.can_edit_messages);
    await assert.rejects(bot.api.getChat(-100999), /Bad Request: chat not found/);
  });

  it('enforces the bot member record in configured channels', async () => {
    const channel = -1005555;
    fake.setChat({ id: channel, type: 'channel', title: 'Elsewhere' });
    fake.setChatMember(channel, fake.botUser.id, { status: 'left' });
    await assert.rejects(bot.api.sendMessage(channel, 'x'), (error: unknown) => {
      assert.ok(error instanceof GrammyError);
      assert.equal(error.error_code, 403);
      return true;
    });
  });

  it('injects a 429 with retry_after', async () => {
    fake.failNext(1, { code: 429, retryAfter: 3 }, { method: 'sendMessage' });
    await assert.rejects(bot.api.sendMessage(ADMIN.id, 'x'), (error: unknown) => {
      assert.ok(error instanceof GrammyError);
      assert.equal(error.error_code, 429);
      assert.equal(error.parameters.retry_after, 3);
      assert.equal(error.description, 'Too Many Requests: retry after 3');
      return true;
    });
    await bot.api.sendMessage(ADMIN.id, 'second try works');
    assert.deepEqual(
      fake.callsOf('sendMessage').map((call) => call.failed !== undefined),
      [true, false],
    );
  });

  it('injects a 403 only for the filtered chat', async () => {
    fake.failNext(1, { code: 403 }, { chatId: CHANNEL_ID });
    await bot.api.sendMessage(ADMIN.id, 'not affected');
    await assert.rejects(bot.api.sendMessage(CHANNEL_ID, 'alert'), (error: unknown) => {
      assert.ok(error instanceof GrammyError);
      assert.equal(error.error_code, 403);
      assert.equal(error.description, 'Forbidden: bot is not a member of the channel chat');
      return true;
    });
  });

  it('injects 5xx and dropped connections', async () => {
    fake.failNext(1, { code: 500 });
    await assert.rejects(bot.api.sendMessage(ADMIN.id, 'x'), (error: unknown) => error instanceof GrammyError && error.error_code === 500);
    fake.failNext(1, { drop: true });
    await assert.rejects(bot.api.sendMessage(ADMIN.id, 'x'), HttpError);
  });

  it('explains what it saw when an awaited call never comes', async () => {
    await bot.api.sendMessage(ADMIN.id, 'only this');
    await assert.rejects(fake.waitForCall('sendPhoto', undefined, 50), /No matching sendPhoto call within 50 ms[\s\S]*sendMessage chat=42/);
  });
});

describe('fake Bot API with a hanging call', () => {
  it('closes promptly even while a request hangs', async () => {
    const fake = await startFakeBotApi();
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    fake.failNext(1, { hang: true }, { method: 'sendMessage' });
    const pending = bot.api.sendMessage(ADMIN.id, 'never answered');
    await fake.waitForCall('sendMessage');

    const started = Date.now();
    await fake.close();
    assert.ok(Date.now() - started < 1000, 'close() waited for the hanging request');
    await assert.rejects(pending, HttpError);
  });
});

describe('fake Bot API long polling', () => {
  it('feeds updates to bot.start() and lets bot.stop() finish quickly', async () => {
    const fake = await startFakeBotApi();
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    const seen: string[] = [];
    bot.command('start', async (ctx) => {
      seen.push(`command:${ctx.from?.id}`);
      await ctx.reply('Main menu', { reply_markup: { inline_keyboard: [[{ text: 'Home', callback_data: 'loc:1' }]] } });
    });
    bot.on('callback_query:data', async (ctx) => {
      seen.push(`press:${ctx.callbackQuery.data}`);
      await ctx.answerCallbackQuery();
    });

    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const polling = bot.start({ onStart: () => started() });
    await running;

    fake.pushUpdate(fake.message(ADMIN, ADMIN.id, '/start'));
    const reply = await fake.waitForCall('sendMessage');
    const menu = fake.lastSent(ADMIN.id);
    assert.ok(menu);
    assert.equal(menu.message_id, 2, 'the user message took id 1 in the private chat');
    assert.equal(reply.params.text, 'Main menu');

    fake.pushUpdate(fake.pressButton(ADMIN, menu, 'Home'));
    await fake.waitForCall('answerCallbackQuery');
    assert.deepEqual(seen, [`command:${ADMIN.id}`, 'press:loc:1']);

    const stopping = Date.now();
    await bot.stop();
    await polling;
    assert.ok(Date.now() - stopping < 2000, 'bot.stop() took too long');
    assert.deepEqual(fake.pendingUpdates(), [], 'stop() confirms the handled updates');
    await fake.close();
  });
});
