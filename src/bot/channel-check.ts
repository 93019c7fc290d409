import { GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';

/** Why a channel cannot take a place's alerts and diagrams; each has its own explanation. */
export type ChannelProblem = 'not-found' | 'not-channel' | 'bot-not-member' | 'bot-not-admin' | 'cannot-post' | 'cannot-pin' | 'unreachable';

/** Plain data (it is kept in conversation state): the channel's numeric id when it is usable. */
export type ChannelCheck =
  | { ok: true; chatId: number; title: string }
  | { ok: false; problems: ChannelProblem[]; title?: string };

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

/** Asks Telegram whether the bot can post and pin in a channel given by id or @username. */
export async function checkChannel(api: Api, botId: number, reference: number | string): Promise<ChannelCheck> {
  let chat;
  try {
    chat = await api.getChat(reference);
  } catch (error) {
    return { ok: false, problems: [problemOf(error, 'not-found')] };
  }
  if (chat.type !== 'channel') return { ok: false, problems: ['not-channel'], title: titleOf(chat) };
  let member;
  try {
    member = await api.getChatMember(chat.id, botId);
  } catch (error) {
    return { ok: false, problems: [problemOf(error, 'bot-not-member')], title: titleOf(chat) };
  }
  const problems = missingChannelRights(member);
  return problems.length === 0 ? { ok: true, chatId: chat.id, title: titleOf(chat) } : { ok: false, problems, title: titleOf(chat) };
}

/** Telegram answers 400 "chat not found" for chats the bot cannot see, 403 once it was removed. */
function problemOf(error: unknown, refused: ChannelProblem): ChannelProblem {
  if (!(error instanceof GrammyError)) return 'unreachable';
  return error.error_code === 403 ? 'bot-not-member' : refused;
}

function titleOf(chat: { title?: string; username?: string; first_name?: string }): string {
  return chat.title ?? (chat.username ? `@${chat.username}` : (chat.first_name ?? ''));
}
