import type { SyncDatabase } from '../db/sync-database.js';
import type { Selectable } from 'kysely';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import type { ChannelTitlesTable } from '../db/schema.js';
import { queryBuilder } from '../db/sync-query.js';
import { escapeHtml } from '../i18n/escape-html.js';
import type { Translate } from '../i18n/translator.js';

export type ChannelTitleRow = Selectable<ChannelTitlesTable>;

const plans = {
  select: statementPlan((p: { chatId: string }) => queryBuilder.selectFrom('channel_titles').select(['chat_id', 'title', 'updated_at']).where('chat_id', '=', p.chatId)),
  upsert: statementPlan((p: { chatId: string; title: string; now: number }) =>
    queryBuilder
      .insertInto('channel_titles')
      .values({ chat_id: p.chatId, title: p.title, updated_at: p.now })
      .onConflict((oc) => oc.column('chat_id').doUpdateSet((eb) => ({ title: eb.ref('excluded.title'), updated_at: eb.ref('excluded.updated_at') }))),
  ),
};

/**
 * The last known titles of the channels the service posts to (the channel_titles table, its one
 * owner). Synchronous, like every read on the main thread's connection: the bot asks it while
 * drawing a card, the delivery while writing an admin notice.
 */
export class ChannelTitleStore {
  private readonly statements;

  constructor(sqlite: SyncDatabase) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** The title and when it was last confirmed; undefined when the channel was never named. */
  get(chatId: string): ChannelTitleRow | undefined {
    return this.statements.select.get({ chatId });
  }

  /** The last known title of a channel, or null. */
  titleOf(chatId: string): string | null {
    return this.get(chatId)?.title ?? null;
  }

  /** Keeps a title Telegram just gave (an empty one says nothing and is not kept). */
  remember(chatId: string, title: string, now: number): void {
    const trimmed = title.trim();
    if (trimmed === '') return;
    this.statements.upsert.run({ chatId, title: trimmed, now });
  }
}

/**
 * How a channel is named in a message (HTML): its title in the language's quotes ("«Світло:
 * Дача»", "“Power: Dacha”") when known, else its id or @username as configured.
 */
export function channelLabel(chatId: string, title: string | null | undefined, t: Translate): string {
  return title ? t('channel-named', { title: escapeHtml(title) }) : escapeHtml(chatId);
}
