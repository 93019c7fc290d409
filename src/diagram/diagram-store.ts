import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { DiagramMessagesTable } from '../db/schema.js';
import { queryBuilder, SyncQueries } from '../db/sync-query.js';
import type { LocationRow } from '../monitor/power-store.js';
import { parsePayload, type DiagramPayload } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';

export type DiagramMessageRow = Selectable<DiagramMessagesTable>;
export type { DiagramPayload };

export type DiagramPlace = Pick<LocationRow, 'id' | 'name' | 'channel_id' | 'paused'>;

/** What the outbox already holds for a place's diagram of one day. */
export interface QueuedForDay {
  pending: boolean;
  failed: boolean;
}

/**
 * The diagram's storage on the main thread (the only writer): which message shows each place's
 * diagram of each day and whether it is pinned. Its outbox rows (posts, edits, unpins) are
 * queued through the OutboxStore, the table's one owner.
 */
export class DiagramStore {
  private readonly placeById;
  private readonly places;
  private readonly messageOfDay;
  private readonly upsertMessage;
  private readonly touchMessage;
  private readonly setPinned;
  private readonly otherPinned;
  private readonly pinnedOfPlace;
  private readonly queries: SyncQueries;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly outbox: OutboxStore,
  ) {
    this.placeById = sqlite.prepare<[number], LocationRow>('SELECT * FROM locations WHERE id = ?');
    this.places = sqlite.prepare<[], DiagramPlace>('SELECT id, name, channel_id, paused FROM locations ORDER BY id');
    this.messageOfDay = sqlite.prepare<[number, string], DiagramMessageRow>('SELECT * FROM diagram_messages WHERE location_id = ? AND day = ?');
    this.upsertMessage = sqlite.prepare<{ locationId: number; chatId: string; day: string; messageId: number; now: number }, DiagramMessageRow>(
      `INSERT INTO diagram_messages (location_id, chat_id, day, message_id, pinned, created_at, updated_at)
       VALUES (@locationId, @chatId, @day, @messageId, 0, @now, @now)
       ON CONFLICT (location_id, day) DO UPDATE SET chat_id = excluded.chat_id, message_id = excluded.message_id, pinned = 0, updated_at = excluded.updated_at
       RETURNING *`,
    );
    this.touchMessage = sqlite.prepare('UPDATE diagram_messages SET updated_at = ? WHERE id = ?');
    this.setPinned = sqlite.prepare('UPDATE diagram_messages SET pinned = ?, updated_at = ? WHERE id = ?');
    this.otherPinned = sqlite.prepare<[number, number], DiagramMessageRow>(
      'SELECT * FROM diagram_messages WHERE location_id = ? AND pinned = 1 AND id != ? ORDER BY day',
    );
    this.pinnedOfPlace = sqlite.prepare<[number], DiagramMessageRow>('SELECT * FROM diagram_messages WHERE location_id = ? AND pinned = 1 ORDER BY day');
    this.queries = new SyncQueries(sqlite);
  }

  place(id: number): LocationRow | undefined {
    return this.placeById.get(id);
  }

  allPlaces(): DiagramPlace[] {
    return this.places.all();
  }

  messageOf(locationId: number, day: string): DiagramMessageRow | undefined {
    return this.messageOfDay.get(locationId, day);
  }

  /** Records the message now showing the day's diagram (a new post replaces a vanished one). */
  saveMessage(locationId: number, chatId: string, day: string, messageId: number, now: number): DiagramMessageRow {
    return this.upsertMessage.get({ locationId, chatId, day, messageId, now })!;
  }

  touched(row: DiagramMessageRow, now: number): void {
    this.touchMessage.run(now, row.id);
  }

  /** The caption under the status line, as just posted: a status change re-uses it (status-line.ts). */
  saveCaption(row: Pick<DiagramMessageRow, 'id'>, caption: string): void {
    this.queries.run(queryBuilder.updateTable('diagram_messages').set({ caption }).where('id', '=', row.id));
  }

  /** Queues the edit of the place's status line in its pinned diagram (after an alert, a pause). */
  queueStatusCaption(locationId: number, at: number, now: number): void {
    this.outbox.enqueue({ kind: 'status_caption', locationId, payload: { at } }, now);
  }

  markPinned(row: DiagramMessageRow, pinned: boolean, now: number): void {
    this.setPinned.run(pinned ? 1 : 0, now, row.id);
  }

  /** The place's older diagrams still pinned (normally just yesterday's). */
  pinnedBesides(row: DiagramMessageRow): DiagramMessageRow[] {
    return this.otherPinned.all(row.location_id, row.id);
  }

  /** The place's pinned diagrams (read before the place is deleted, to unpin them after). */
  pinnedOf(locationId: number): DiagramMessageRow[] {
    return this.pinnedOfPlace.all(locationId);
  }

  /** `current` is pinned now: queues the unpin of the place's older pinned diagrams (one transaction). */
  unpinOlder(current: DiagramMessageRow, now: number): void {
    this.inTransaction(() => {
      const older = this.pinnedBesides(current);
      for (const row of older) this.markPinned(row, false, now);
      this.unpinLater(older, now);
    });
  }

  /** Queues the unpin of these messages; the rows carry chat and message, so they outlive the place. */
  unpinLater(messages: ReadonlyArray<Pick<DiagramMessageRow, 'chat_id' | 'message_id'>>, now: number): void {
    for (const message of messages) {
      this.outbox.enqueue({ kind: 'unpin', locationId: null, payload: { chat: message.chat_id, messageId: message.message_id } }, now);
    }
  }

  /** Diagram rows queued for `day` (created since the day began at `dayStart`). */
  queuedFor(locationId: number, day: string, dayStart: number): QueuedForDay {
    const state: QueuedForDay = { pending: false, failed: false };
    for (const row of this.outbox.diagramRowsSince(locationId, dayStart)) {
      if (!isForDay(row.payload, day)) continue;
      if (row.failed_at !== null) state.failed = true;
      else if (row.sent_at === null) state.pending = true;
    }
    return state;
  }

  queue(locationId: number, payload: DiagramPayload, now: number): void {
    this.outbox.enqueue({ kind: 'diagram', locationId, payload }, now);
  }

  inTransaction<T>(work: () => T): T {
    return this.sqlite.inTransaction ? work() : this.sqlite.transaction(work)();
  }
}

function isForDay(payload: string, day: string): boolean {
  try {
    return parsePayload('diagram', payload).day === day;
  } catch {
    return false;
  }
}
