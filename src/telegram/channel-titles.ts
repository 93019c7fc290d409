import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { ChannelTitlesTable } from '../db/schema.js';
import { escapeHtml } from './escape-html.js';
import type { Translate } from './translator.js';

export type ChannelTitleRow = Selectable<ChannelTitlesTable>;

/**
 * The last known titles of the channels the service posts to (the channel_titles table, its one
 * owner). Synchronous, like every read on the main thread's connection: the bot asks it while
 * drawing a card, the delivery while writing an admin notice.
 */
export class ChannelTitleStore {
  private readonly select;
  private readonly upsert;

  constructor(sqlite: SqliteDatabase.Database) {
    this.select = sqlite.prepare<[string], ChannelTitleRow>('SELECT chat_id, title, updated_at FROM channel_titles WHERE chat_id = ?');
    this.upsert = sqlite.prepare<{ chatId: string; title: string; now: number }>(
      `INSERT INTO channel_titles (chat_id, title, updated_at) VALUES (@chatId, @title, @now)
       ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at`,
    );
  }

  /** The title and when it was last confirmed; undefined when the channel was never named. */
  get(chatId: string): ChannelTitleRow | undefined {
    return this.select.get(chatId);
  }

  /** The last known title of a channel, or null. */
  titleOf(chatId: string): string | null {
    return this.get(chatId)?.title ?? null;
  }

  /** Keeps a title Telegram just gave (an empty one says nothing and is not kept). */
  remember(chatId: string, title: string, now: number): void {
    const trimmed = title.trim();
    if (trimmed === '') return;
    this.upsert.run({ chatId, title: trimmed, now });
  }
}

/**
 * How a channel is named in a message (HTML): its title in the language's quotes ("«Світло:
 * Дача»", "“Power: Dacha”") when known, else its id or @username as configured.
 */
export function channelLabel(chatId: string, title: string | null | undefined, t: Translate): string {
  return title ? t('channel-named', { title: escapeHtml(title) }) : escapeHtml(chatId);
}
