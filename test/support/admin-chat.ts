import assert from 'node:assert/strict';
import type { Message, Update } from 'grammy/types';
import { attachedFile, type FakeBotApi, type RecordedCall, type UserInput } from './fake-bot-api.js';

/**
 * One person's private chat with the bot, driven through the fake Bot API the way Telegram would:
 * every message and button press is a real update fetched by the bot's long polling. Each step
 * waits until the bot has handled the update (it confirms an update only after handling it), so a
 * test reads what the bot did without sleeping.
 */
export class AdminChat {
  constructor(
    readonly fake: FakeBotApi,
    readonly user: UserInput,
  ) {}

  /** Sends a text message (a leading /command gets its entity) and returns the calls it caused. */
  send(text: string, extra: Partial<Omit<Message, 'chat' | 'from'>> = {}): Promise<RecordedCall[]> {
    return this.deliver(this.fake.message(this.user, this.user.id, text, extra));
  }

  /** Presses the inline button labelled `label` on `message` (in its current, edited state). */
  press(message: Message, label: string): Promise<RecordedCall[]> {
    return this.deliver(this.fake.pressButton(this.user, message, label));
  }

  /** Presses a button with arbitrary callback data, as a forged or replayed query would. */
  pressData(message: Message, data: string): Promise<RecordedCall[]> {
    return this.deliver(this.fake.callbackQuery(this.user, message, data));
  }

  async deliver(update: Omit<Update, 'update_id'>): Promise<RecordedCall[]> {
    const start = this.fake.calls.length;
    const queued = this.fake.pushUpdate(update);
    await handled(this.fake, queued.update_id);
    return this.fake.calls.slice(start);
  }

  /** Messages the bot sent to this chat, as they are now (menus show their latest edit). */
  messages(): Message[] {
    return this.fake.sentMessages(this.user.id);
  }

  last(): Message {
    const message = this.messages().at(-1);
    assert.ok(message, 'the bot sent nothing to this chat');
    return message;
  }

  /** The newest message carrying an inline keyboard: the menu the person sees last. */
  lastMenu(): Message {
    const menu = this.messages().findLast((message) => (message.reply_markup?.inline_keyboard.length ?? 0) > 0);
    assert.ok(menu, 'the bot sent no menu to this chat');
    return menu;
  }

  /** Labels of a message's inline buttons, row by row flattened. */
  static labels(message: Message): string[] {
    return message.reply_markup?.inline_keyboard.flat().map((button) => button.text) ?? [];
  }
}

/** Waits until the bot confirmed (and so handled) the update with this id. */
export async function handled(fake: FakeBotApi, updateId: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fake.pendingUpdates().some((update) => update.update_id <= updateId)) {
    if (Date.now() > deadline) throw new Error(`the bot did not handle update ${updateId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const textsOf = (calls: RecordedCall[], method = 'sendMessage'): string[] =>
  calls.filter((call) => call.method === method && !call.failed).map((call) => String(call.params.text ?? call.params.caption ?? ''));

/** The `config.h` a call uploaded, as text. */
export function uploadedText(call: RecordedCall): string {
  const file = attachedFile(call, call.params.document);
  assert.ok(file, 'the call uploaded no document');
  return file.bytes.toString('utf8');
}

/** The device key shown in an ESP32 config message. */
export function keyFromConfigMessage(text: string): string {
  const key = /<code>([A-Za-z0-9_-]{16,})<\/code>/.exec(text)?.[1];
  assert.ok(key, `no key in: ${text}`);
  return key;
}

export async function heartbeat(url: string, key: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}
