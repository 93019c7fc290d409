import { Keyboard } from 'grammy';
import type { Conversation } from '@grammyjs/conversations';
import type { ChatAdministratorRights, InlineKeyboardMarkup, Message } from 'grammy/types';
import { PlaceInputError, validateChannel, validateName, validateTimeout } from '../../../places/place-rules.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import { translatorFor, type Locale, type Translate, type TranslationSource } from '../../../i18n/translator.js';
import { adminLocale } from '../../admin-locale.js';
import type { AdminStore } from '../../../admins/admin-store.js';
import { checkChannel, type ChannelCheck } from '../../channel-check.js';
import { parseChatLink, type ChatLink } from '../../chat-link.js';
import type { DestinationChatType } from '../../../db/schema.js';
import { parseQuietHours } from '../../../people/quiet-hours.js';
import type { QuietHours } from '../../../outbox/payload-parts.js';
import type { BotContext, FlowContext } from '../../context.js';
import { CANCEL_DATA, FLOW_DATA_PREFIX } from '../flow-control.js';

/**
 * The steps conversations are made of. A conversation replays from the top on every update, so
 * everything here is deterministic given the updates: validation is pure, and whatever touches
 * the database or Telegram outside the chat goes through `conversation.external()`.
 */
export type Flow = Conversation<BotContext, FlowContext>;

const TIMEOUT_CHOICES_MIN = [1, 2, 5, 10];
const TIMEOUT_DATA = `${FLOW_DATA_PREFIX}t:`;
const CHANNEL_REQUEST_ID = 1;
const GROUP_REQUEST_ID = 3;

/** The rights the bot needs in an alert channel: post alerts, pin (edit) the daily diagram. */
const CHANNEL_RIGHTS: ChatAdministratorRights = {
  is_anonymous: false,
  can_manage_chat: false,
  can_delete_messages: false,
  can_manage_video_chats: false,
  can_restrict_members: false,
  can_promote_members: false,
  can_change_info: false,
  can_invite_users: false,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_send_welcome_messages: false,
  can_post_messages: true,
  can_edit_messages: true,
};

/** The admin's language, fixed when the conversation starts (texts must not change on replay). */
export async function flowLocale(conversation: Flow, { admins }: { admins: Pick<AdminStore, 'languageOf'> }): Promise<Locale> {
  return conversation.external((ctx) => adminLocale(admins, ctx.from));
}

/** A translator in the admin's language (see flowLocale). */
export async function flowTranslator(
  conversation: Flow,
  deps: { translations: TranslationSource; admins: Pick<AdminStore, 'languageOf'> },
): Promise<Translate> {
  return translatorFor(deps.translations, await flowLocale(conversation, deps));
}

export function cancelMarkup(t: Translate): InlineKeyboardMarkup {
  return { inline_keyboard: [[{ text: t('btn-cancel'), callback_data: CANCEL_DATA }]] };
}

/** An update the step cannot use: a stale button is answered, anything else gets a hint. */
export function otherwise(t: Translate, hint: string) {
  return async (ctx: FlowContext): Promise<void> => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t('flow-stale-button') });
    else await ctx.reply(hint);
  };
}

/** Runs a validator from location-rules; its refusal is shown to the admin in their language. */
async function validated<T>(ctx: FlowContext, t: Translate, markup: InlineKeyboardMarkup | Keyboard, validate: () => T): Promise<T | undefined> {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof PlaceInputError)) throw error;
    await ctx.reply(t('flow-invalid', { reason: escapeHtml(t(`location-error-${error.code}`, error.params)) }), { reply_markup: markup });
    return undefined;
  }
}

export async function askName(conversation: Flow, ctx: FlowContext, t: Translate, prompt: string): Promise<string> {
  await ctx.reply(prompt, { reply_markup: cancelMarkup(t) });
  for (;;) {
    const answer = await conversation.waitFor('message:text', { otherwise: otherwise(t, t('flow-send-text')) });
    const name = await validated(answer, t, cancelMarkup(t), () => validateName(answer.message.text));
    if (name !== undefined) return name;
  }
}

/** A timeout in seconds: one of the buttons, or typed ("90", "3m"). */
/** Waits for quiet hours typed as text ("23:00-07:00", "off"); a text that is not one is explained and asked again. */
export async function askQuietHours(conversation: Flow, t: Translate): Promise<QuietHours> {
  for (;;) {
    const answer = await conversation.waitFor('message:text', { otherwise: otherwise(t, t('flow-send-text')) });
    const parsed = parseQuietHours(answer.message.text);
    if (parsed.ok) return parsed.quiet;
    await answer.reply(t(`people-quiet-error-${parsed.error}`), { reply_markup: cancelMarkup(t) });
  }
}

export async function askTimeout(conversation: Flow, ctx: FlowContext, t: Translate, prompt: string): Promise<number> {
  const markup: InlineKeyboardMarkup = {
    inline_keyboard: [
      TIMEOUT_CHOICES_MIN.map((minutes) => ({ text: t('btn-minutes', { n: minutes }), callback_data: `${TIMEOUT_DATA}${minutes * 60}` })),
      [{ text: t('btn-cancel'), callback_data: CANCEL_DATA }],
    ],
  };
  await ctx.reply(prompt, { reply_markup: markup });
  for (;;) {
    const answer = await conversation.waitFor(['message:text', 'callback_query:data'], { otherwise: otherwise(t, t('flow-send-text')) });
    let input: string;
    if (answer.callbackQuery) {
      const data = answer.callbackQuery.data ?? '';
      if (!data.startsWith(TIMEOUT_DATA)) {
        await answer.answerCallbackQuery({ text: t('flow-stale-button') });
        continue;
      }
      await answer.answerCallbackQuery();
      input = data.slice(TIMEOUT_DATA.length);
    } else {
      input = answer.message?.text ?? '';
    }
    const seconds = await validated(answer, t, markup, () => validateTimeout(input));
    if (seconds !== undefined) return seconds;
  }
}

/** Where a place posts: a channel, a group, or a topic of a supergroup (`threadId`). */
export type ChannelChoice =
  | { kind: 'channel'; chatId: string; title: string; chatType: DestinationChatType; threadId: number | null }
  | { kind: 'skip' };

function channelKeyboard(t: Translate, skipLabel: string): Keyboard {
  return new Keyboard()
    .requestChat(t('btn-pick-channel'), CHANNEL_REQUEST_ID, {
      chat_is_channel: true,
      bot_is_member: true,
      bot_administrator_rights: CHANNEL_RIGHTS,
      user_administrator_rights: CHANNEL_RIGHTS,
      request_title: true,
    })
    .requestChat(t('people-btn-pick-group'), GROUP_REQUEST_ID, { chat_is_channel: false, bot_is_member: true, request_title: true })
    .row()
    .text(skipLabel)
    .row()
    .text(t('btn-cancel'))
    .resized();
}

/**
 * The chat a place posts to, checked with getChat and getChatMember: a channel the bot can post
 * and pin in, or a group it can write in, picked with Telegram's chat picker, a forwarded post,
 * or a typed @username / id / topic link. A supergroup with topics then asks which topic (one
 * that exists) or its General one. `skipLabel` is the key that leaves the place on the default channel.
 */
export async function askChannel(conversation: Flow, ctx: FlowContext, t: Translate, prompt: string, skipLabel: string): Promise<ChannelChoice> {
  const keyboard = channelKeyboard(t, skipLabel);
  await ctx.reply(prompt, { reply_markup: keyboard });
  for (;;) {
    const answer = await conversation.waitFor('message', { otherwise: otherwise(t, t('channel-hint')) });
    const reference = await channelReference(answer, answer.message, t, keyboard, skipLabel);
    if (reference === 'skip') return { kind: 'skip' };
    if (reference === undefined) continue;
    const check = await conversation.external((octx) => checkChannel(octx.api, octx.me.id, reference.chat, reference.threadId));
    if (!check.ok) {
      await answer.reply(channelProblemText(check, reference.chat, t), { reply_markup: keyboard });
      continue;
    }
    const chosen = { kind: 'channel' as const, chatId: String(check.chatId), title: check.title, chatType: check.chatType, threadId: check.threadId };
    if (!check.isForum || check.threadId !== null) return chosen;
    const threadId = await askTopic(conversation, answer, t, check.chatId, check.title);
    return { ...chosen, threadId };
  }
}

/** Which topic of a forum supergroup: its link (or id), checked to exist, or the General topic (null). */
async function askTopic(conversation: Flow, ctx: FlowContext, t: Translate, chatId: number, title: string): Promise<number | null> {
  const generalLabel = t('people-btn-topic-general');
  const keyboard = new Keyboard().text(generalLabel).row().text(t('btn-cancel')).resized();
  await ctx.reply(t('people-topic-ask', { title: escapeHtml(title) }), { reply_markup: keyboard });
  for (;;) {
    const answer = await conversation.waitFor('message:text', { otherwise: otherwise(t, t('people-topic-hint')) });
    const text = answer.message.text.trim();
    if (text === generalLabel) return null;
    const link = parseChatLink(text);
    const threadId = /^\d{1,10}$/.test(text) ? Number(text) : link && sameChat(link, chatId) ? link.threadId : null;
    if (threadId === null || threadId <= 1) {
      await answer.reply(t('people-topic-hint'), { reply_markup: keyboard });
      continue;
    }
    const check = await conversation.external((octx) => checkChannel(octx.api, octx.me.id, chatId, threadId));
    if (check.ok) return threadId;
    await answer.reply(channelProblemText(check, title, t), { reply_markup: keyboard });
  }
}

/** A topic link names its chat by internal id or by @username; an @username is checked by Telegram instead. */
function sameChat(link: ChatLink, chatId: number): boolean {
  return typeof link.chat === 'string' || link.chat === chatId;
}

async function channelReference(
  ctx: FlowContext,
  message: Message,
  t: Translate,
  keyboard: Keyboard,
  skipLabel: string,
): Promise<ChatLink | 'skip' | undefined> {
  if (message.chat_shared) return { chat: message.chat_shared.chat_id, threadId: null };
  if (message.forward_origin?.type === 'channel') return { chat: message.forward_origin.chat.id, threadId: null };
  // A post a group made in its own name (an anonymous admin's): it names the group.
  if (message.forward_origin?.type === 'chat') return { chat: message.forward_origin.sender_chat.id, threadId: null };
  if (message.forward_origin) {
    await ctx.reply(t('channel-forward-not-channel'), { reply_markup: keyboard });
    return undefined;
  }
  const text = message.text;
  if (text === undefined) {
    await ctx.reply(t('channel-hint'), { reply_markup: keyboard });
    return undefined;
  }
  if (text === skipLabel) return 'skip';
  const link = parseChatLink(text);
  if (link) return link;
  const channel = await validated(ctx, t, keyboard, () => validateChannel(text));
  if (channel === undefined) return undefined;
  return { chat: /^-?\d+$/.test(channel) ? Number(channel) : channel, threadId: null };
}

/** Exactly what is wrong with a chat, naming the missing rights. */
export function channelProblemText(check: Extract<ChannelCheck, { ok: false }>, reference: number | string, t: Translate): string {
  const title = escapeHtml(check.title || String(reference));
  const rights = check.problems.filter((problem) => problem === 'cannot-post' || problem === 'cannot-pin');
  if (rights.length > 0) return t('channel-rights-missing', { title, missing: rights.map((right) => t(`channel-${right}`)).join('; ') });
  const problem = check.problems[0] ?? 'not-found';
  const inGroup = check.chatType === 'group' || check.chatType === 'supergroup';
  switch (problem) {
    case 'not-channel':
      return t('people-chat-not-group-or-channel', { title });
    case 'topic-not-found':
      return t('people-topic-not-found', { title });
    case 'cannot-send':
      return t('people-group-cannot-send', { title });
    case 'bot-not-member':
      return inGroup ? t('people-group-bot-not-member', { title }) : t('channel-bot-not-member', { title });
    default:
      return t(`channel-${problem}`, { title });
  }
}

/** What "no own channel" means for a place: the default channel, or nowhere yet. */
export function defaultChannelNote(t: Translate, defaultChannelId: string | undefined): string {
  return defaultChannelId ? t('channel-default-used', { channel: escapeHtml(defaultChannelId) }) : t('channel-no-default');
}
