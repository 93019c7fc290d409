import { GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { DestinationChatType } from '../db/schema.js';

/** Why a chat cannot take a place's alerts and diagrams; each has its own explanation. */
export type ChannelProblem =
  | 'not-found'
  | 'not-channel'
  | 'bot-not-member'
  | 'bot-not-admin'
  | 'cannot-post'
  | 'cannot-pin'
  | 'unreachable'
  /** A group where the bot may not write (restricted, or members may not write and it is no admin). */
  | 'cannot-send'
  /** The forum topic given does not exist (or the chat has no topics). */
  | 'topic-not-found';

/**
 * Plain data (it is kept in conversation state): the chat's numeric id and kind when it is
 * usable, and whether it is a supergroup with topics (so the flow can ask which one).
 */
export type ChannelCheck =
  | { ok: true; chatId: number; title: string; chatType: DestinationChatType; isForum: boolean; threadId: number | null }
  | { ok: false; problems: ChannelProblem[]; title?: string; chatType?: DestinationChatType };

/**
 * The rights the bot needs in an alert channel, read from its member record: posting needs
 * can_post_messages, pinning the daily diagram needs can_edit_messages.
 */
export function missingChannelRights(member: ChatMember): ChannelProblem[] {
  switch (member.status) {
    case 'creator':
      return [];
    case 'administrator': {
      const problems: ChannelProblem[] = [];
      if (member.can_post_messages !== true) problems.push('cannot-post');
      if (member.can_edit_messages !== true) problems.push('cannot-pin');
      return problems;
    }
    case 'left':
    case 'kicked':
      return ['bot-not-member'];
    default:
      return ['bot-not-admin'];
  }
}

/**
 * In a group the bot needs only to be able to write: a member may, unless the group lets members
 * say nothing (`membersMaySend` false) or the bot is restricted. Pinning the daily diagram is a
 * bonus there (an admin's right), not a condition: a family chat need not make the bot an admin.
 */
export function missingGroupRights(member: ChatMember, membersMaySend: boolean): ChannelProblem[] {
  switch (member.status) {
    case 'creator':
    case 'administrator':
      return [];
    case 'member':
      return membersMaySend ? [] : ['cannot-send'];
    case 'restricted':
      return member.is_member && member.can_send_messages ? [] : member.is_member ? ['cannot-send'] : ['bot-not-member'];
    case 'left':
    case 'kicked':
      return ['bot-not-member'];
  }
}

/**
 * Asks Telegram whether the bot can post in a chat given by id or @username: a channel (post and
 * pin), a group or supergroup (write), and, with `threadId`, that the forum topic exists.
 */
export async function checkChannel(api: Api, botId: number, reference: number | string, threadId: number | null = null): Promise<ChannelCheck> {
  let chat;
  try {
    chat = await api.getChat(reference);
  } catch (error) {
    return { ok: false, problems: [problemOf(error, 'not-found')] };
  }
  const title = titleOf(chat);
  if (chat.type === 'private') return { ok: false, problems: ['not-channel'], title };
  const chatType: DestinationChatType = chat.type;
  const isForum = chat.type === 'supergroup' && chat.is_forum === true;
  let member;
  try {
    member = await api.getChatMember(chat.id, botId);
  } catch (error) {
    return { ok: false, problems: [problemOf(error, 'bot-not-member')], title, chatType };
  }
  const problems = chat.type === 'channel' ? missingChannelRights(member) : missingGroupRights(member, chat.permissions?.can_send_messages !== false);
  if (problems.length > 0) return { ok: false, problems, title, chatType };
  if (threadId !== null) {
    if (!isForum) return { ok: false, problems: ['topic-not-found'], title, chatType };
    const topic = await topicProblem(api, chat.id, threadId);
    if (topic) return { ok: false, problems: [topic], title, chatType };
  }
  return { ok: true, chatId: chat.id, title, chatType, isForum, threadId };
}

/**
 * The Bot API cannot list a forum's topics; a "typing…" in the topic is the harmless question
 * that Telegram answers with "message thread not found" when there is no such topic.
 */
async function topicProblem(api: Api, chatId: number, threadId: number): Promise<ChannelProblem | null> {
  try {
    await api.sendChatAction(chatId, 'typing', { message_thread_id: threadId });
    return null;
  } catch (error) {
    if (error instanceof GrammyError && /thread not found|TOPIC_(ID_)?INVALID|TOPIC_DELETED/i.test(error.description)) return 'topic-not-found';
    return problemOf(error, 'cannot-send');
  }
}

/** Telegram answers 400 "chat not found" for chats the bot cannot see, 403 once it was removed. */
function problemOf(error: unknown, refused: ChannelProblem): ChannelProblem {
  if (!(error instanceof GrammyError)) return 'unreachable';
  return error.error_code === 403 ? 'bot-not-member' : refused;
}

function titleOf(chat: { title?: string; username?: string; first_name?: string }): string {
  return chat.title ?? (chat.username ? `@${chat.username}` : (chat.first_name ?? ''));
}
