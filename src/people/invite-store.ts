import type { SyncDatabase } from '../db/sync-database.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder, transaction } from '../db/sync-query.js';
import type { PlaceStore } from '../places/place-store.js';
import { isInviteTokenShape, newInviteToken } from './invite-token.js';

/**
 * The one owner of `place_invites`: one live invite link per place, renewable. A renewed or
 * expired token keeps its row, so the bot can tell its holder politely what happened instead of
 * "no such link" (and which place it was for). Tokens are deleted with their place.
 *
 * Integration:
 * - admin's invite view: `ensure(placeId, { now, createdBy })` gives the link to show (made on
 *   first use); "renew": `renew(placeId, { now, createdBy })` — the old token stops at once;
 * - bot, `/start <token>`: through `joinByInvite` (join.ts), which calls `check(token, now)`.
 * Pass `lifetimeMs` to make links that expire by themselves; without it a link lasts until renewed.
 */

export interface Invite {
  token: string;
  placeId: number;
  createdAt: number;
  /** Null: until renewed. */
  expiresAt: number | null;
}

/** What a token opened from a link turns out to be. */
export type InviteCheck =
  | { status: 'valid'; placeId: number; placeName: string }
  /** An admin renewed the place's link after this one was shared. */
  | { status: 'renewed'; placeId: number; placeName: string }
  | { status: 'expired'; placeId: number; placeName: string }
  /** Never issued here, mistyped, or its place was deleted. */
  | { status: 'unknown' };

export interface IssueOptions {
  now: number;
  /** The admin who asked for it, for the record. */
  createdBy: number | null;
  lifetimeMs?: number;
}

const plans = {
  live: statementPlan((p: { placeId: number }) =>
    queryBuilder
      .selectFrom('place_invites')
      .select(['token', 'location_id', 'created_at', 'expires_at'])
      .where('location_id', '=', p.placeId)
      .where('replaced_at', 'is', null),
  ),
  replace: statementPlan((p: { placeId: number; now: number }) =>
    queryBuilder.updateTable('place_invites').set({ replaced_at: p.now }).where('location_id', '=', p.placeId).where('replaced_at', 'is', null),
  ),
  insert: statementPlan((p: { token: string; placeId: number; now: number; createdBy: number | null; expiresAt: number | null }) =>
    queryBuilder.insertInto('place_invites').values({
      token: p.token,
      location_id: p.placeId,
      created_at: p.now,
      created_by: p.createdBy,
      expires_at: p.expiresAt,
      replaced_at: null,
    }),
  ),
  byToken: statementPlan((p: { token: string }) =>
    queryBuilder.selectFrom('place_invites').select(['location_id', 'expires_at', 'replaced_at']).where('token', '=', p.token),
  ),
};

export class InviteStore {
  private readonly statements;

  constructor(
    private readonly sqlite: SyncDatabase,
    /** The places' owner: whether a place exists, and its name. */
    private readonly places: PlaceStore,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** The place's link as it stands: live and not expired. */
  current(placeId: number, now: number): Invite | undefined {
    const row = this.statements.live.get({ placeId });
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return { token: row.token, placeId: row.location_id, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  /** The place's current link, made now if it has none (or its last one expired). Undefined: no such place. */
  ensure(placeId: number, options: IssueOptions): Invite | undefined {
    return transaction(this.sqlite, () => this.current(placeId, options.now) ?? this.renew(placeId, options));
  }

  /** A new link for the place; the previous one stops working at once. Undefined: no such place. */
  renew(placeId: number, options: IssueOptions): Invite | undefined {
    const { now, createdBy, lifetimeMs } = options;
    if (lifetimeMs !== undefined && !(Number.isInteger(lifetimeMs) && lifetimeMs > 0)) {
      throw new RangeError(`An invite lifetime is a positive number of milliseconds, got ${lifetimeMs}.`);
    }
    return transaction(this.sqlite, () => {
      if (!this.places.exists(placeId)) return undefined;
      this.statements.replace.run({ placeId, now });
      const invite: Invite = { token: newInviteToken(), placeId, createdAt: now, expiresAt: lifetimeMs === undefined ? null : now + lifetimeMs };
      this.statements.insert.run({ token: invite.token, placeId, now, createdBy, expiresAt: invite.expiresAt });
      return invite;
    });
  }

  /**
   * What a token is worth now. A link renewed before it would have expired reads "renewed" even
   * after that time: that is what happened to it.
   */
  check(token: string, now: number): InviteCheck {
    if (!isInviteTokenShape(token)) return { status: 'unknown' };
    const row = this.statements.byToken.get({ token });
    // Tokens go with their place (ON DELETE CASCADE); a missing name is a place deleted meanwhile.
    const placeName = row && this.places.nameOf(row.location_id);
    if (!row || placeName === undefined) return { status: 'unknown' };
    const place = { placeId: row.location_id, placeName };
    const expiredFirst = row.expires_at !== null && (row.replaced_at === null || row.expires_at <= row.replaced_at);
    if (expiredFirst && row.expires_at !== null && row.expires_at <= now) return { status: 'expired', ...place };
    if (row.replaced_at !== null) return { status: 'renewed', ...place };
    return { status: 'valid', ...place };
  }
}
