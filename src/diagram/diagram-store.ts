import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { DiagramMessagesTable } from '../db/schema.js';
import type { LocationRow } from '../monitor/power-store.js';

export type DiagramMessageRow = Selectable<DiagramMessagesTable>;

/** An outbox row of kind 'diagram': bring the place's diagram of `day` up to date. */
export interface DiagramPayload {
  /** 'post' when no message exists for the day yet, 'edit' to redraw it; either does what is needed. */
  action: 'post' | 'edit';
  /** Local calendar day (yyyy-MM-dd) the diagram is for; a row for a past day is dropped. */
  day: string;
}

export type DiagramPlace = Pick<LocationRow, 'id' | 'name' | 'channel_id' | 'paused'>;

/** What the outbox already holds for a place's diagram of one day. */
export interface QueuedForDay {
  pending: boolean;
  failed: boolean;
}

/**
 * The diagram's storage on the main thread (the only writer): which message shows each place's
 * diagram of each day, whether it is pinned, and the outbox rows that keep it up to date.
 */
export class DiagramStore {
  private readonly placeById;
  private readonly places;
  private readonly messageOfDay;
  private readonly upsertMessage;
  private readonly touchMessage;
  private readonly setPinned;
  private readonly otherPinned;
  private readonly diagramRowsSince;
  private readonly insertOutbox;

  constructor(private readonly sqlite: SqliteDatabase.Database) {
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
    this.diagramRowsSince = sqlite.prepare<[number, number], { payload: string; sent_at: number | null; failed_at: number | null }>(
      `SELECT payload, sent_at, failed_at FROM outbox WHERE location_id = ? AND kind = 'diagram' AND created_at >= ?`,
    );
    this.insertOutbox = sqlite.prepare(
      `INSERT INTO outbox (location_id, kind, payload, created_at, attempts, next_attempt_at) VALUES (@locationId, 'diagram', @payload, @now, 0, @now)`,
    );
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

  markPinned(row: DiagramMessageRow, pinned: boolean, now: number): void {
    this.setPinned.run(pinned ? 1 : 0, now, row.id);
  }

  /** The place's older diagrams still pinned (normally just yesterday's). */
  pinnedBesides(row: DiagramMessageRow): DiagramMessageRow[] {
    return this.otherPinned.all(row.location_id, row.id);
  }

  /** Diagram rows queued for `day` (created since the day began at `dayStart`). */
  queuedFor(locationId: number, day: string, dayStart: number): QueuedForDay {
    const state: QueuedForDay = { pending: false, failed: false };
    for (const row of this.diagramRowsSince.all(locationId, dayStart)) {
      if ((JSON.parse(row.payload) as DiagramPayload).day !== day) continue;
      if (row.failed_at !== null) state.failed = true;
      else if (row.sent_at === null) state.pending = true;
    }
    return state;
  }

  queue(locationId: number, payload: DiagramPayload, now: number): void {
    this.insertOutbox.run({ locationId, payload: JSON.stringify(payload), now });
  }

  inTransaction<T>(work: () => T): T {
    return this.sqlite.transaction(work)();
  }
}
