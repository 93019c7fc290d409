import type { SyncDatabase } from '../db/sync-database.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { prepareQuery, statementPlan } from '../db/statement-plan.js';
import { queryBuilder, transaction } from '../db/sync-query.js';
import type { PlaceStore } from '../places/place-store.js';
import type { Locale } from '../i18n/translator.js';
import { DEFAULT_SUBSCRIBER_QUIET_HOURS, isValidWindow } from './quiet-hours.js';
import type { QuietHours } from '../outbox/payload-parts.js';

/**
 * The one owner of `subscribers` (the person: language, quiet hours, blocked or not) and
 * `subscriptions` (which places they follow since when, and what they want to get). Synchronous,
 * on the main thread's connection, so delivery can call it inside its own transaction.
 *
 * Integration:
 * - bot, deep link `/start <token>`: `joinByInvite` (join.ts) checks the token and calls `subscribe`;
 *   a plain `/start` from a known person calls `reactivate(userId, name)` first;
 * - bot, subscriber: `placesOf` for their `/start`, `person` for their settings, `setLanguage`,
 *   `setQuietHours`, `setChoices`, `unsubscribe(placeId, userId)` to leave;
 * - bot, admin: `subscribersOf(placeId)` (name, since), `unsubscribe` to remove one;
 * - roles (roles.ts): `placeIdsOf(userId)`;
 * - outbox owner: `recipients(placeId, kind)` when it writes a place's post, one private message
 *   per recipient; the deliverer sets `disable_notification` from `isQuietAt(recipient.quiet, …)`;
 * - deliverer, on a 403 "blocked by the user" / "user is deactivated" for a private chat:
 *   `markInactive(userId, now)` — not a flag on the place and no notice to the admins.
 */

/** What a subscriber can choose to get about each place they follow. */
export type SubscriberMessageKind = 'alerts' | 'plan_warnings' | 'weekly';

export const SUBSCRIBER_MESSAGE_KINDS: readonly SubscriberMessageKind[] = ['alerts', 'plan_warnings', 'weekly'];

const WANTS_COLUMN = {
  alerts: 'wants_alerts',
  plan_warnings: 'wants_plan_warnings',
  weekly: 'wants_weekly',
} as const satisfies Record<SubscriberMessageKind, string>;

export type Choices = Record<SubscriberMessageKind, boolean>;

/** A new subscription gets everything; each can be turned off. */
export const DEFAULT_CHOICES: Readonly<Choices> = { alerts: true, plan_warnings: true, weekly: true };

/** The person as Telegram shows them when they open an invite or send /start. */
export interface PersonProfile {
  userId: number;
  displayName: string;
  /** Their language when they first come (from Telegram's language_code); their choice later. */
  language: Locale;
}

export interface Subscriber {
  userId: number;
  displayName: string;
  language: Locale;
  quiet: QuietHours;
  /** False after they blocked the bot, until their next /start. */
  active: boolean;
  inactiveSince: number | null;
}

/** One line of a place's subscriber list for its admins. */
export interface PlaceSubscriber {
  userId: number;
  displayName: string;
  since: number;
  active: boolean;
}

/** One place a person follows. */
export interface Subscription {
  placeId: number;
  placeName: string;
  since: number;
  choices: Choices;
}

/** Who gets a private message about a place, in which language, and when it must be silent. */
export interface Recipient {
  userId: number;
  language: Locale;
  quiet: QuietHours;
}

export type SubscribeResult = 'subscribed' | 'already' | 'place_missing';
export type ReactivateResult = 'reactivated' | 'active' | 'unknown';

const plans = {
  upsertPerson: statementPlan((p: PersonProfile & { now: number }) =>
    queryBuilder
      .insertInto('subscribers')
      .values({
        user_id: p.userId,
        display_name: p.displayName,
        language: p.language,
        quiet_start_min: DEFAULT_SUBSCRIBER_QUIET_HOURS.startMin,
        quiet_end_min: DEFAULT_SUBSCRIBER_QUIET_HOURS.endMin,
        active: 1,
        inactive_since: null,
        created_at: p.now,
      })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ display_name: p.displayName, active: 1, inactive_since: null })),
  ),
  subscribe: statementPlan((p: { placeId: number; userId: number; now: number }) =>
    queryBuilder
      .insertInto('subscriptions')
      .values({
        location_id: p.placeId,
        user_id: p.userId,
        since: p.now,
        wants_alerts: flag(DEFAULT_CHOICES.alerts),
        wants_plan_warnings: flag(DEFAULT_CHOICES.plan_warnings),
        wants_weekly: flag(DEFAULT_CHOICES.weekly),
      })
      .onConflict((oc) => oc.columns(['location_id', 'user_id']).doNothing()),
  ),
  unsubscribe: statementPlan((p: { placeId: number; userId: number }) =>
    queryBuilder.deleteFrom('subscriptions').where('location_id', '=', p.placeId).where('user_id', '=', p.userId),
  ),
  subscribersOf: statementPlan((p: { placeId: number }) =>
    queryBuilder
      .selectFrom('subscriptions as s')
      .innerJoin('subscribers as p', 'p.user_id', 's.user_id')
      .select(['p.user_id', 'p.display_name', 's.since', 'p.active'])
      .where('s.location_id', '=', p.placeId)
      .orderBy('s.since')
      .orderBy('p.user_id'),
  ),
  placesOf: statementPlan((p: { userId: number }) =>
    queryBuilder
      .selectFrom('subscriptions')
      .select(['location_id', 'since', 'wants_alerts', 'wants_plan_warnings', 'wants_weekly'])
      .where('user_id', '=', p.userId)
      .orderBy('since')
      .orderBy('location_id'),
  ),
  placeIdsOf: statementPlan((p: { userId: number }) =>
    queryBuilder.selectFrom('subscriptions').select('location_id').where('user_id', '=', p.userId).orderBy('location_id'),
  ),
  person: statementPlan((p: { userId: number }) => queryBuilder.selectFrom('subscribers').selectAll().where('user_id', '=', p.userId)),
  markInactive: statementPlan((p: { userId: number; now: number }) =>
    queryBuilder.updateTable('subscribers').set({ active: 0, inactive_since: p.now }).where('user_id', '=', p.userId).where('active', '=', 1),
  ),
  reactivate: statementPlan((p: { userId: number }) =>
    queryBuilder.updateTable('subscribers').set({ active: 1, inactive_since: null }).where('user_id', '=', p.userId),
  ),
  reactivateRenamed: statementPlan((p: { userId: number; displayName: string }) =>
    queryBuilder.updateTable('subscribers').set({ active: 1, inactive_since: null, display_name: p.displayName }).where('user_id', '=', p.userId),
  ),
  setLanguage: statementPlan((p: { userId: number; language: Locale }) =>
    queryBuilder.updateTable('subscribers').set({ language: p.language }).where('user_id', '=', p.userId),
  ),
  setQuietHours: statementPlan((p: { userId: number; start: number | null; end: number | null }) =>
    queryBuilder.updateTable('subscribers').set({ quiet_start_min: p.start, quiet_end_min: p.end }).where('user_id', '=', p.userId),
  ),
};

/** The statements that pick people by what they want: the column of the choice is in the SQL, so one set per kind. */
function wantingPlans(kind: SubscriberMessageKind) {
  return {
    recipients: statementPlan((p: { placeId: number }) =>
      queryBuilder
        .selectFrom('subscriptions as s')
        .innerJoin('subscribers as p', 'p.user_id', 's.user_id')
        .select(['p.user_id', 'p.language', 'p.quiet_start_min', 'p.quiet_end_min'])
        .where('s.location_id', '=', p.placeId)
        .where(`s.${WANTS_COLUMN[kind]}`, '=', 1)
        .where('p.active', '=', 1)
        .orderBy('s.since')
        .orderBy('p.user_id'),
    ),
    places: statementPlan(() =>
      queryBuilder
        .selectFrom('subscriptions as s')
        .innerJoin('subscribers as p', 'p.user_id', 's.user_id')
        .select('s.location_id')
        .distinct()
        .where(`s.${WANTS_COLUMN[kind]}`, '=', 1)
        .where('p.active', '=', 1),
    ),
    recipient: statementPlan((p: { placeId: number; userId: number }) =>
      queryBuilder
        .selectFrom('subscriptions as s')
        .innerJoin('subscribers as p', 'p.user_id', 's.user_id')
        .select(['p.user_id', 'p.language', 'p.quiet_start_min', 'p.quiet_end_min'])
        .where('s.location_id', '=', p.placeId)
        .where('s.user_id', '=', p.userId)
        .where(`s.${WANTS_COLUMN[kind]}`, '=', 1)
        .where('p.active', '=', 1),
    ),
  };
}

const plansWanting = { alerts: wantingPlans('alerts'), plan_warnings: wantingPlans('plan_warnings'), weekly: wantingPlans('weekly') };

export class SubscriberStore {
  private readonly statements;
  private readonly wanting;

  constructor(
    private readonly sqlite: SyncDatabase,
    /** The places' owner: whether a place exists, and its name. */
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
    this.wanting = {
      alerts: prepareStatements(sqlite, plansWanting.alerts),
      plan_warnings: prepareStatements(sqlite, plansWanting.plan_warnings),
      weekly: prepareStatements(sqlite, plansWanting.weekly),
    };
  }

  /**
   * Makes the person a subscriber of the place. Coming through a link is also a sign of life: a
   * person marked inactive becomes active again, and their name is refreshed. Their language and
   * quiet hours, if they already follow another place, stay as they set them.
   */
  subscribe(placeId: number, person: PersonProfile, now: number): SubscribeResult {
    return transaction(this.sqlite, () => {
      if (!this.places.exists(placeId)) return 'place_missing';
      this.statements.upsertPerson.run({ userId: person.userId, displayName: person.displayName, language: person.language, now });
      const { changes } = this.statements.subscribe.run({ placeId, userId: person.userId, now });
      return changes > 0 ? 'subscribed' : 'already';
    });
  }

  /**
   * Ends a subscription: the person leaving, or an admin removing them. With their last place,
   * the person's row goes too (a trigger), so nothing about them is kept. False if there was none.
   */
  unsubscribe(placeId: number, userId: number): boolean {
    return this.statements.unsubscribe.run({ placeId, userId }).changes > 0;
  }

  /** A place's subscribers for its admins, oldest first. */
  subscribersOf(placeId: number): PlaceSubscriber[] {
    return this.statements.subscribersOf
      .all({ placeId })
      .map((row) => ({ userId: row.user_id, displayName: row.display_name, since: row.since, active: row.active === 1 }));
  }

  /** The places a person follows, in the order they joined them. */
  placesOf(userId: number): Subscription[] {
    return this.statements.placesOf
      .all({ userId })
      .flatMap((row) => {
        // A place's subscriptions go with it (ON DELETE CASCADE): a name is always there.
        const placeName = this.places.nameOf(row.location_id);
        if (placeName === undefined) return [];
        const choices = { alerts: row.wants_alerts === 1, plan_warnings: row.wants_plan_warnings === 1, weekly: row.wants_weekly === 1 };
        return [{ placeId: row.location_id, placeName, since: row.since, choices }];
      });
  }

  /** The ids of the places a person follows (what their role allows them to see). */
  placeIdsOf(userId: number): number[] {
    return this.statements.placeIdsOf.all({ userId }).map((row) => row.location_id);
  }

  person(userId: number): Subscriber | undefined {
    const row = this.statements.person.get({ userId });
    if (!row) return undefined;
    return {
      userId: row.user_id,
      displayName: row.display_name,
      language: row.language,
      quiet: quietOf(row.quiet_start_min, row.quiet_end_min),
      active: row.active === 1,
      inactiveSince: row.inactive_since,
    };
  }

  /**
   * Active subscribers of the place who want this kind of message. Inactive people (who blocked
   * the bot) are left out until they come back; nobody is dropped for good by a failed send.
   */
  recipients(placeId: number, kind: SubscriberMessageKind): Recipient[] {
    return this.wanting[kind].recipients
      .all({ placeId })
      .map((row) => ({ userId: row.user_id, language: row.language, quiet: quietOf(row.quiet_start_min, row.quiet_end_min) }));
  }

  /** The places that have at least one active subscriber who wants this kind of message (one query). */
  placesWanting(kind: SubscriberMessageKind): Set<number> {
    return new Set(this.wanting[kind].places.all().map((row) => row.location_id));
  }

  /**
   * The person as a recipient of this kind of message about the place, read again when a queued
   * message is due: undefined once they left, turned it off or blocked the bot meanwhile. Their
   * quiet hours are the ones they have now.
   */
  recipient(placeId: number, userId: number, kind: SubscriberMessageKind): Recipient | undefined {
    const row = this.wanting[kind].recipient.get({ placeId, userId });
    return row && { userId: row.user_id, language: row.language, quiet: quietOf(row.quiet_start_min, row.quiet_end_min) };
  }

  /** Telegram said the person blocked the bot (or is gone): stop sending. True if it changed. */
  markInactive(userId: number, now: number): boolean {
    return this.statements.markInactive.run({ userId, now }).changes > 0;
  }

  /** The person sent /start: they can be written to again. Refreshes their name when given. */
  reactivate(userId: number, displayName?: string): ReactivateResult {
    return transaction(this.sqlite, () => {
      const row = this.statements.person.get({ userId });
      if (!row) return 'unknown';
      if (displayName === undefined) this.statements.reactivate.run({ userId });
      else this.statements.reactivateRenamed.run({ userId, displayName });
      return row.active === 1 ? 'active' : 'reactivated';
    });
  }

  /** The language of the person's private messages. False for someone who follows nothing. */
  setLanguage(userId: number, language: Locale): boolean {
    return this.statements.setLanguage.run({ userId, language }).changes > 0;
  }

  /** The person's quiet hours, or off (null). A window without a length is refused. */
  setQuietHours(userId: number, quiet: QuietHours): boolean {
    if (quiet !== null && !isValidWindow(quiet)) {
      throw new RangeError(`Quiet hours need two different minutes of the day (0–1439), got ${quiet.startMin}–${quiet.endMin}.`);
    }
    return this.statements.setQuietHours.run({ userId, start: quiet?.startMin ?? null, end: quiet?.endMin ?? null }).changes > 0;
  }

  /** Turns kinds of messages about one place on or off; the others stay. False if not subscribed. */
  setChoices(userId: number, placeId: number, choices: Partial<Choices>): boolean {
    const set: Partial<Record<(typeof WANTS_COLUMN)[SubscriberMessageKind], number>> = {};
    for (const kind of SUBSCRIBER_MESSAGE_KINDS) {
      const wanted = choices[kind];
      if (wanted !== undefined) set[WANTS_COLUMN[kind]] = flag(wanted);
    }
    if (Object.keys(set).length === 0) return this.placeIdsOf(userId).includes(placeId);
    // Which columns change depends on the call: compiled for this one run.
    const update = queryBuilder.updateTable('subscriptions').set(set).where('location_id', '=', placeId).where('user_id', '=', userId);
    return prepareQuery(this.sqlite, update).run().changes > 0;
  }
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}

function quietOf(startMin: number | null, endMin: number | null): QuietHours {
  return startMin === null || endMin === null ? null : { startMin, endMin };
}
