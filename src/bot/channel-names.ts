import type { Api } from 'grammy';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { ChannelTitleStore } from '../places/channel-titles.js';

/** A title confirmed this recently is shown as it is; older, Telegram is asked again. */
const FRESH_FOR_MS = 60_000;
/** A card waits at most this long for Telegram; then it shows what it knows. */
const ASK_TIMEOUT_MS = 3_000;

/** grammY types its signal parameter with the abort-controller shim; Node's AbortSignal is the real thing. */
type ApiSignal = Parameters<Api['getChat']>[1];

export interface ChannelNamesDeps {
  channelTitles: Pick<ChannelTitleStore, 'get' | 'titleOf' | 'remember'>;
  clock: Clock;
  logger: Logger;
}

/**
 * Channels by their titles in the admin chat: remembered when a channel is linked, refreshed
 * (getChat) when a card showing it is drawn, unless confirmed within the last minute. When
 * Telegram cannot say (the bot was removed, the network is down), the last known title stays,
 * and without one the id is shown.
 */
export class ChannelNames {
  constructor(private readonly deps: ChannelNamesDeps) {}

  /** The last known title, or null. */
  title(chatId: string): string | null {
    return this.deps.channelTitles.titleOf(chatId);
  }

  remember(chatId: string, title: string): void {
    this.deps.channelTitles.remember(chatId, title, this.deps.clock.now());
  }

  /** Asks Telegram for the channel's current title, unless it was confirmed a moment ago. */
  async refresh(api: Api, chatId: string): Promise<void> {
    const { channelTitles, clock, logger } = this.deps;
    const known = channelTitles.get(chatId);
    if (known && clock.now() - known.updated_at < FRESH_FOR_MS) return;
    try {
      const reference = /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
      const chat = await api.getChat(reference, AbortSignal.timeout(ASK_TIMEOUT_MS) as unknown as ApiSignal);
      const title = chat.title ?? (chat.username ? `@${chat.username}` : '');
      this.remember(chatId, title);
    } catch (error) {
      logger.debug({ err: error, chatId }, 'could not ask Telegram for a channel title; showing the last known');
    }
  }
}
