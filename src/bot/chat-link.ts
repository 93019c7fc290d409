/**
 * A chat, and maybe a forum topic in it, as an admin pastes it from Telegram: "Copy link" on a
 * topic gives https://t.me/c/1234567890/55 (a private supergroup: its id without the -100, then
 * the topic's id) or https://t.me/groupname/55 (a public one); a link to a message inside a topic
 * has the message id after the topic's. A link without a topic names the public chat itself.
 */
export interface ChatLink {
  /** A numeric chat id or an @username. */
  chat: number | string;
  /** The forum topic (message_thread_id), or null for the chat itself. */
  threadId: number | null;
}

const PRIVATE_LINK = /^(?:https?:\/\/)?t\.me\/c\/(\d{1,15})(?:\/(\d{1,10}))?(?:\/\d{1,10})?\/?$/i;
const PUBLIC_LINK = /^(?:https?:\/\/)?t\.me\/([A-Za-z][A-Za-z0-9_]{3,31})(?:\/(\d{1,10}))?(?:\/\d{1,10})?\/?$/i;

export function parseChatLink(text: string): ChatLink | null {
  const input = text.trim();
  const internal = PRIVATE_LINK.exec(input);
  if (internal) return { chat: Number(`-100${internal[1]}`), threadId: topicOf(internal[2]) };
  const named = PUBLIC_LINK.exec(input);
  const username = named?.[1];
  if (named && username !== undefined && username.toLowerCase() !== 'c') return { chat: `@${username}`, threadId: topicOf(named[2]) };
  return null;
}

/** A topic link's thread id; the "General" topic is 1, which posts without a thread id. */
function topicOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const id = Number(text);
  return id > 1 ? id : null;
}
