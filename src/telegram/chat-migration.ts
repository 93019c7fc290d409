import type { Logger } from '../logger.js';

/**
 * What follows a chat to its new id, handed in by the owners of the tables (PlaceStore,
 * DestinationStore), which sit above the wire.
 */
export interface ChatMovesDeps {
  /** The places posting to `from` post to `to`; how many. */
  places: { moveChat(from: string, to: string): number };
  /** The places' settings for the chat (topic, quiet hours) move along. */
  destinations: { moveChat(from: string, to: string, now: number): unknown };
  /** One transaction of the database both tables live in. */
  inTransaction: <T>(work: () => T) => T;
  defaultChannelId: string | undefined;
  logger: Logger;
  now: () => number;
}

/**
 * A group that becomes a supergroup gets a new chat id (Telegram does it when topics are turned on,
 * the group is made public, or it grows): posts to the old id fail with `migrate_to_chat_id`, and
 * the bot sees a service message saying so. Either way the places posting there move to the new id
 * together with their settings for the chat, so nobody has to link them again. DEFAULT_CHANNEL_ID
 * comes from the environment and cannot be changed from here: the log says what to set.
 * Returns how many places moved.
 */
export function followChatMove(deps: ChatMovesDeps, from: string, to: string): number {
  if (from === to) return 0;
  const moved = deps.inTransaction(() => {
    const places = deps.places.moveChat(from, to);
    deps.destinations.moveChat(from, to, deps.now());
    return places;
  });
  if (moved > 0) deps.logger.info({ from, to, places: moved }, 'a group became a supergroup; its places now post to the new chat');
  if (deps.defaultChannelId === from) {
    deps.logger.error({ from, to }, `DEFAULT_CHANNEL_ID names a group that became a supergroup: set DEFAULT_CHANNEL_ID=${to} and restart`);
  }
  return moved;
}
