import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { LocationsTable } from '../db/schema.js';

/** What delivery needs to know about a place when it posts for it. */
export type DeliveryPlace = Pick<
  Selectable<LocationsTable>,
  'id' | 'name' | 'language' | 'channel_id' | 'status' | 'status_since' | 'paused' | 'alerting_failed' | 'alerting_error'
>;

/**
 * The places as delivery sees them (synchronous, main thread): a place's name, language and
 * channel, its `alerting_failed` warning, and how many places share a chat (for digests).
 */
export class DeliveryPlaces {
  private readonly byId;
  private readonly setFlag;
  private readonly unsetFlag;
  private readonly inChat;

  constructor(sqlite: SqliteDatabase.Database) {
    this.byId = sqlite.prepare<[number], DeliveryPlace>(
      'SELECT id, name, language, channel_id, status, status_since, paused, alerting_failed, alerting_error FROM locations WHERE id = ?',
    );
    this.setFlag = sqlite.prepare<{ id: number; reason: string }>(
      'UPDATE locations SET alerting_failed = 1, alerting_error = @reason WHERE id = @id AND alerting_failed = 0',
    );
    this.unsetFlag = sqlite.prepare<[number]>('UPDATE locations SET alerting_failed = 0, alerting_error = NULL WHERE id = ? AND alerting_failed = 1');
    this.inChat = sqlite.prepare<{ chat: string; fallback: string | null }, { total: number; off: number }>(
      `SELECT count(*) AS total, coalesce(sum(status = 'off'), 0) AS off FROM locations
       WHERE paused = 0 AND coalesce(channel_id, @fallback) = @chat`,
    );
  }

  get(id: number): DeliveryPlace | undefined {
    return this.byId.get(id);
  }

  /** Shows the warning on the place; true only when it was not flagged yet (tell the admins once). */
  flag(id: number, reason: string): boolean {
    return this.setFlag.run({ id, reason }).changes > 0;
  }

  /** A post went through: the warning goes away. True when there was one. */
  clearFlag(id: number): boolean {
    return this.unsetFlag.run(id).changes > 0;
  }

  /** The watched places posting to `chat` (those without a channel of their own use `fallback`), and how many are off. */
  countInChat(chat: string, fallback: string | undefined): { total: number; off: number } {
    return this.inChat.get({ chat, fallback: fallback ?? null }) ?? { total: 0, off: 0 };
  }
}
