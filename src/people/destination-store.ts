import type { SyncDatabase } from '../db/sync-database.js';
import type { DestinationChatType } from '../db/schema.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder, transaction } from '../db/sync-query.js';
import type { PlaceStore } from '../places/place-store.js';
import { DEFAULT_DESTINATION_QUIET_HOURS, isValidWindow } from './quiet-hours.js';
import type { QuietHours } from '../outbox/payload-parts.js';

/**
 * The one owner of `place_destinations`: what a place's posts need beyond the chat id — the forum
 * topic of a supergroup (`message_thread_id`), the kind of chat, and the chat's quiet hours (off
 * by default). The chat itself stays where it is (locations.channel_id, or the default channel);
 * a row applies only while its `chat_id` is that chat, so a place linked to another chat starts
 * from the defaults and never posts into a topic of the chat it left.
 *
 * Integration:
 * - the link flow (picker / forwarded post / @name / a topic's link), once the rights check passed:
 *   `link(placeId, { chatId, chatType, threadId, topicName }, now)` — a topic's link
 *   (t.me/c/<chat>/<topic>) names the thread, and the check there is that the topic exists;
 * - the deliverer of a place's post: `settingsFor(placeId, chatId)` → `threadId` goes out as
 *   `message_thread_id`, and `disable_notification` is `isQuietAt(settings.quiet, now, zone)`;
 * - admin settings: `setQuietHours(placeId, chatId, quiet)`.
 */

export interface DestinationSettings {
  chatId: string;
  chatType: DestinationChatType | null;
  threadId: number | null;
  topicName: string | null;
  quiet: QuietHours;
}

export interface LinkedChat {
  chatId: string;
  chatType: DestinationChatType;
  threadId?: number | null;
  topicName?: string | null;
}

/** A place's row for one chat, as written (`link`, the chat type unknown for `setQuietHours`). */
interface DestinationWrite {
  placeId: number;
  chatId: string;
  chatType: DestinationChatType | null;
  threadId: number | null;
  topicName: string | null;
  quietStart: number | null;
  quietEnd: number | null;
  now: number;
}

const plans = {
  forChat: statementPlan((p: { placeId: number; chatId: string }) =>
    queryBuilder.selectFrom('place_destinations').selectAll().where('location_id', '=', p.placeId).where('chat_id', '=', p.chatId),
  ),
  ofPlace: statementPlan((p: { placeId: number }) =>
    queryBuilder.selectFrom('place_destinations').select(['chat_id', 'quiet_start_min', 'quiet_end_min']).where('location_id', '=', p.placeId),
  ),
  upsert: statementPlan((p: DestinationWrite) => {
    const values = {
      chat_id: p.chatId,
      chat_type: p.chatType,
      thread_id: p.threadId,
      topic_name: p.topicName,
      quiet_start_min: p.quietStart,
      quiet_end_min: p.quietEnd,
      updated_at: p.now,
    };
    return queryBuilder
      .insertInto('place_destinations')
      .values({ location_id: p.placeId, ...values })
      .onConflict((oc) => oc.column('location_id').doUpdateSet(values));
  }),
  moveChat: statementPlan((p: { from: string; to: string; now: number }) =>
    queryBuilder.updateTable('place_destinations').set({ chat_id: p.to, chat_type: 'supergroup', updated_at: p.now }).where('chat_id', '=', p.from),
  ),
  setQuiet: statementPlan((p: { placeId: number; chatId: string; quietStart: number | null; quietEnd: number | null; now: number }) =>
    queryBuilder
      .updateTable('place_destinations')
      .set({ quiet_start_min: p.quietStart, quiet_end_min: p.quietEnd, updated_at: p.now })
      .where('location_id', '=', p.placeId)
      .where('chat_id', '=', p.chatId),
  ),
};

export class DestinationStore {
  private readonly statements;

  constructor(
    private readonly sqlite: SyncDatabase,
    /** The places' owner: whether a place exists, and its name. */
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** How posts of the place go to `chatId`; the defaults when nothing is known about that chat. */
  settingsFor(placeId: number, chatId: string): DestinationSettings {
    const row = this.statements.forChat.get({ placeId, chatId });
    if (!row) return { chatId, chatType: null, threadId: null, topicName: null, quiet: DEFAULT_DESTINATION_QUIET_HOURS };
    return {
      chatId,
      chatType: row.chat_type,
      threadId: row.thread_id,
      topicName: row.topic_name,
      quiet: row.quiet_start_min === null || row.quiet_end_min === null ? null : { startMin: row.quiet_start_min, endMin: row.quiet_end_min },
    };
  }

  /**
   * Records the chat (and topic) a place was just linked to. Relinking the same chat keeps its
   * quiet hours; another chat starts with none. False when there is no such place.
   */
  link(placeId: number, chat: LinkedChat, now: number): boolean {
    const threadId = chat.threadId ?? null;
    if (threadId !== null && (chat.chatType !== 'supergroup' || !Number.isInteger(threadId) || threadId <= 0)) {
      throw new RangeError('A topic (message_thread_id) exists only in a supergroup with topics, and its id is a positive integer.');
    }
    return transaction(this.sqlite, () => {
      if (!this.places.exists(placeId)) return false;
      const previous = this.statements.ofPlace.get({ placeId });
      const keepQuiet = previous?.chat_id === chat.chatId;
      this.statements.upsert.run({
        placeId,
        chatId: chat.chatId,
        chatType: chat.chatType,
        threadId,
        topicName: threadId === null ? null : (chat.topicName ?? null),
        quietStart: keepQuiet ? previous.quiet_start_min : null,
        quietEnd: keepQuiet ? previous.quiet_end_min : null,
        now,
      });
      return true;
    });
  }

  /**
   * A group became a supergroup (a new id): the places' settings for it (quiet hours) go with it.
   * A basic group has no topics, so none is lost. How many places it concerned.
   */
  moveChat(from: string, to: string, now: number): number {
    return this.statements.moveChat.run({ from, to, now }).changes;
  }

  /**
   * Quiet hours for the place's posts in `chatId` (null: off). A chat linked before this table
   * existed gets its row here, its kind unknown. False when there is no such place.
   */
  setQuietHours(placeId: number, chatId: string, quiet: QuietHours, now: number): boolean {
    if (quiet !== null && !isValidWindow(quiet)) {
      throw new RangeError(`Quiet hours need two different minutes of the day (0–1439), got ${quiet.startMin}–${quiet.endMin}.`);
    }
    const window = { quietStart: quiet?.startMin ?? null, quietEnd: quiet?.endMin ?? null, now };
    return transaction(this.sqlite, () => {
      if (!this.places.exists(placeId)) return false;
      const { changes } = this.statements.setQuiet.run({ placeId, chatId, ...window });
      if (changes > 0) return true;
      // No row for this chat: the place posts there without one (linked earlier, or the default channel).
      this.statements.upsert.run({ placeId, chatId, chatType: null, threadId: null, topicName: null, ...window });
      return true;
    });
  }
}
