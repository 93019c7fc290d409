import type { SyncDatabase } from '../db/sync-database.js';
import type { Selectable } from 'kysely';
import type { DiagramMessagesTable } from '../db/schema.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';
import type { PlaceStore, Place } from '../places/place-store.js';
import { parsePayload, type DiagramPayload } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';

export type DiagramMessageRow = Selectable<DiagramMessagesTable>;
export type { DiagramPayload };

export type DiagramPlace = Pick<Place, 'id' | 'name' | 'channel_id' | 'paused'>;

/** What the outbox already holds for a place's diagram of one day. */
export interface QueuedForDay {
  pending: boolean;
  failed: boolean;
}

const plans = {
  messageOfDay: statementPlan((p: { placeId: number; day: string }) =>
    queryBuilder.selectFrom('diagram_messages').selectAll().where('location_id', '=', p.placeId).where('day', '=', p.day),
  ),
  saveMessage: statementPlan((p: { placeId: number; chatId: string; day: string; messageId: number; now: number }) =>
    queryBuilder
      .insertInto('diagram_messages')
      .values({ location_id: p.placeId, chat_id: p.chatId, day: p.day, message_id: p.messageId, pinned: 0, created_at: p.now, updated_at: p.now })
      .onConflict((oc) =>
        oc.columns(['location_id', 'day']).doUpdateSet((eb) => ({
          chat_id: eb.ref('excluded.chat_id'),
          message_id: eb.ref('excluded.message_id'),
          pinned: 0,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll(),
  ),
  saveCaption: statementPlan((p: { id: number; caption: string }) => queryBuilder.updateTable('diagram_messages').set({ caption: p.caption }).where('id', '=', p.id)),
  touch: statementPlan((p: { id: number; now: number }) => queryBuilder.updateTable('diagram_messages').set({ updated_at: p.now }).where('id', '=', p.id)),
  setPinned: statementPlan((p: { id: number; pinned: number; now: number }) =>
    queryBuilder.updateTable('diagram_messages').set({ pinned: p.pinned, updated_at: p.now }).where('id', '=', p.id),
  ),
  otherPinned: statementPlan((p: { placeId: number; id: number }) =>
    queryBuilder
      .selectFrom('diagram_messages')
      .selectAll()
      .where('location_id', '=', p.placeId)
      .where('pinned', '=', 1)
      .where('id', '!=', p.id)
      .orderBy('day'),
  ),
  pinnedOf: statementPlan((p: { placeId: number }) =>
    queryBuilder.selectFrom('diagram_messages').selectAll().where('location_id', '=', p.placeId).where('pinned', '=', 1).orderBy('day'),
  ),
  prune: statementPlan((p: { before: number }) => queryBuilder.deleteFrom('diagram_messages').where('pinned', '=', 0).where('updated_at', '<', p.before)),
};

/**
 * The diagram's storage on the main thread (the only writer) and the one owner of
 * `diagram_messages`: which message shows each place's diagram of each day and whether it is
 * pinned. The places come from their owner (PlaceStore); the outbox rows (posts, edits,
 * unpins) are queued through the OutboxStore.
 */
export class DiagramStore {
  private readonly statements;

  constructor(
    private readonly sqlite: SyncDatabase,
    private readonly outbox: OutboxStore,
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  place(id: number): Place | undefined {
    return this.places.get(id);
  }

  allPlaces(): DiagramPlace[] {
    return this.places.channels();
  }

  messageOf(placeId: number, day: string): DiagramMessageRow | undefined {
    return this.statements.messageOfDay.get({ placeId, day });
  }

  /** Records the message now showing the day's diagram (a new post replaces a vanished one). */
  saveMessage(placeId: number, chatId: string, day: string, messageId: number, now: number): DiagramMessageRow {
    return this.statements.saveMessage.one({ placeId, chatId, day, messageId, now });
  }

  touched(row: DiagramMessageRow, now: number): void {
    this.statements.touch.run({ id: row.id, now });
  }

  /** The caption under the status line, as just posted: a status change re-uses it (status-line.ts). */
  saveCaption(row: Pick<DiagramMessageRow, 'id'>, caption: string): void {
    this.statements.saveCaption.run({ id: row.id, caption });
  }

  /** Queues the edit of the place's status line in its pinned diagram (after an alert, a pause). */
  queueStatusCaption(placeId: number, at: number, now: number): void {
    this.outbox.enqueue({ kind: 'status_caption', placeId, payload: { at } }, now);
  }

  markPinned(row: DiagramMessageRow, pinned: boolean, now: number): void {
    this.statements.setPinned.run({ id: row.id, pinned: pinned ? 1 : 0, now });
  }

  /** The place's older diagrams still pinned (normally just yesterday's). */
  pinnedBesides(row: DiagramMessageRow): DiagramMessageRow[] {
    return this.statements.otherPinned.all({ placeId: row.location_id, id: row.id });
  }

  /** The place's pinned diagrams (read before the place is deleted, to unpin them after). */
  pinnedOf(placeId: number): DiagramMessageRow[] {
    return this.statements.pinnedOf.all({ placeId });
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
      this.outbox.enqueue({ kind: 'unpin', placeId: null, payload: { chat: message.chat_id, messageId: message.message_id } }, now);
    }
  }

  /** Diagram rows queued for `day` (created since the day began at `dayStart`). */
  queuedFor(placeId: number, day: string, dayStart: number): QueuedForDay {
    const state: QueuedForDay = { pending: false, failed: false };
    for (const row of this.outbox.diagramRowsSince(placeId, dayStart)) {
      if (!isForDay(row.payload, day)) continue;
      if (row.failed_at !== null) state.failed = true;
      else if (row.sent_at === null) state.pending = true;
    }
    return state;
  }

  queue(placeId: number, payload: DiagramPayload, now: number): void {
    this.outbox.enqueue({ kind: 'diagram', placeId, payload }, now);
  }

  /** Forgets old posts no longer pinned (never edited again); how many went. */
  pruneMessages(before: number): number {
    return this.statements.prune.run({ before }).changes;
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
